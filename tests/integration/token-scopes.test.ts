import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";

const targets = inject("targets");

// Issue 21, scoped API tokens: a CI pipeline's token drains and restores its own services' instances, and nothing else.
describe.each(targets)("scoped API tokens on $name", (target) => {
  let setup: Awaited<ReturnType<typeof adminAndToken>>;
  // Service names unique to this run, each under its own prefix so `<prefix>*` reaches it alone.
  const orders = `${unique("orders")}`;
  const payments = `${unique("payments")}`;
  const instance = (service: string, n: number) => ({ service, id: `${service}-${n}`, host: "127.0.0.1", port: 8080 + n });

  const tokenWith = async (permissions: unknown, extra: Record<string, unknown> = {}) => {
    const created = await setup.admin.post("/api/v1/tokens", { name: unique("ci"), permissions, ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { ...created.body, api: apiClient(target, { token: created.body.token }) } as {
      id: string;
      name: string;
      token: string;
      api: ReturnType<typeof apiClient>;
    };
  };

  beforeAll(async () => {
    setup = await adminAndToken(target);
    for (const service of [orders, payments]) {
      for (const n of [1, 2, 3]) expect((await setup.api.post("/api/v1/registry/instances", instance(service, n))).status).toBe(201);
    }
  });

  test("a CI token with governance.change for orders* drains and restores orders-2, audited as the token with the pipeline's reason", async () => {
    const ci = await tokenWith([{ permission: "governance.change", services: [`${orders}*`] }], { expiresIn: "1h" });
    // Passing (a TTL instance): draining one of three leaves traffic, so the guard lets it through without forcing.
    for (const n of [1, 2, 3]) expect((await setup.api.put(`/api/v1/registry/instances/${orders}-${n}/heartbeat`)).status).toBe(200);
    expect(ci.token).toMatch(/^mdk_/);
    const reason = "pipeline 4711: deploy orders v2.3.1";
    const target2 = `${orders}-2`;

    const drained = await ci.api.post("/api/v1/governance/instances", { selector: { service: orders, ids: [target2] }, change: { enabled: false }, reason });
    expect(drained.status, JSON.stringify(drained.body)).toBe(200);
    expect(drained.body.changed).toEqual([expect.objectContaining({ id: target2, service: orders, enabled: false })]);
    const discovered = await setup.api.get(`/api/v1/discovery/${orders}`);
    expect(discovered.body.instances.map((entry: { id: string }) => entry.id)).not.toContain(target2);

    const restored = await ci.api.post("/api/v1/governance/instances", { selector: { ids: [target2] }, change: { reset: true }, reason: `${reason} (done)` });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.changed).toEqual([expect.objectContaining({ id: target2, enabled: true })]);

    const audit = await setup.admin.get(`/api/v1/audit?service=${orders}`);
    const changes = audit.body.events.filter((event: { target: string }) => event.target === `instance/${orders}/${target2}`);
    expect(changes.map((event: { actor: { type: string; name: string }; reason: string }) => [event.actor.type, event.actor.name, event.reason])).toEqual([
      ["token", ci.name, `${reason} (done)`],
      ["token", ci.name, reason],
    ]);
  });

  test("outside its scope the token gets a 403 naming the permission and the service, and nothing changes", async () => {
    const ci = await tokenWith([{ permission: "governance.change", services: [orders] }]);
    const refused = await ci.api.post("/api/v1/governance/instances", { selector: { service: payments }, change: { enabled: false }, reason: "not mine" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(`this API token lacks governance.change for service '${payments}'`);
    // A selection reaching its own service and another is refused whole.
    const mixed = await ci.api.post("/api/v1/governance/instances", {
      selector: { ids: [`${orders}-3`, `${payments}-3`] },
      change: { weight: 0 },
      reason: "half mine",
    });
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.message).toContain("governance.change for service");
    const services = await setup.api.get(`/api/v1/services/${orders}`);
    expect(services.body.instances.find((entry: { id: string }) => entry.id === `${orders}-3`)).toMatchObject({ weight: 100, enabled: true });
    // Nor may it set another service's policy, or do what it was not granted.
    const policy = await ci.api.put(`/api/v1/services/${payments}/policy`, { policy: "random" });
    expect(policy.status).toBe(403);
    expect(policy.body.error.message).toBe(`this API token lacks governance.change for service '${payments}'`);
    const read = await ci.api.get("/api/v1/services");
    expect(read.status).toBe(403);
    expect(read.body.error.message).toBe("this API token lacks services.read");
  });

  test("registry.register narrowed to a prefix registers, beats and deregisters there only", async () => {
    const service = unique("shop");
    const other = unique("billing");
    const shop = await tokenWith([{ permission: "registry.register", services: [`${service}*`] }]);
    expect((await shop.api.post("/api/v1/registry/instances", instance(service, 1))).status).toBe(201);
    expect((await shop.api.put(`/api/v1/registry/instances/${service}-1/heartbeat`)).body).toEqual({ health: "passing" });
    const elsewhere = await shop.api.post("/api/v1/registry/instances", instance(other, 1));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.message).toBe(`this API token lacks registry.register for service '${other}'`);
    // Another service's instance, named by id alone, is as far out of reach.
    const beat = await shop.api.put(`/api/v1/registry/instances/${orders}-1/heartbeat`);
    expect(beat.status).toBe(403);
    expect(beat.body.error.message).toBe(`this API token lacks registry.register for service '${orders}'`);
    expect((await shop.api.delete(`/api/v1/registry/instances/${orders}-1`)).status).toBe(403);
    // Nor may it take over the id of another service's instance by registering it under its own service.
    const takeover = await shop.api.post("/api/v1/registry/instances", { ...instance(service, 9), id: `${orders}-1` });
    expect(takeover.status).toBe(403);
    expect((await setup.api.get(`/api/v1/services/${orders}`)).body.instances.map((entry: { id: string }) => entry.id)).toContain(`${orders}-1`);
    expect((await shop.api.delete(`/api/v1/registry/instances/${service}-1`)).status).toBe(204);
  });

  test("an expired token is a 401; a token is created only with permissions tokens may hold", async () => {
    const short = await tokenWith([{ permission: "services.read" }], { expiresIn: "2s" });
    expect((await short.api.get("/api/v1/services")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await short.api.get("/api/v1/services");
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain("expired");
    const listed = (await setup.admin.get("/api/v1/tokens")).body.tokens.find((token: { id: string }) => token.id === short.id);
    expect(listed).toMatchObject({ permissions: [{ permission: "services.read" }], expiresAt: expect.any(String) });
    expect(listed).not.toHaveProperty("token");
    expect(listed).not.toHaveProperty("tokenHash");

    for (const permissions of [[{ permission: "tokens.manage" }], [{ permission: "config.read", services: ["orders*"] }], [], [{ permission: "nope" }]]) {
      const refused = await setup.admin.post("/api/v1/tokens", { name: unique("bad"), permissions });
      expect(refused.status, JSON.stringify(permissions)).toBe(422);
    }
    const tooShort = await setup.admin.post("/api/v1/tokens", { name: unique("bad"), permissions: [{ permission: "services.read" }], expiresIn: "500ms" });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.error.field).toBe("expiresIn");
  });
});
