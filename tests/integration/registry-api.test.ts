import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";

const targets = inject("targets");

describe.each(targets)("registry API on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  let token: string;
  let cookie: string;

  beforeAll(async () => {
    ({ api, token, cookie } = await adminAndToken(target));
  });

  const registration = (overrides: Record<string, unknown> = {}) => ({
    service: unique("svc"),
    id: unique("inst"),
    host: "127.0.0.1",
    port: 8080,
    tags: ["zone-a"],
    metadata: { version: "1.0.0" },
    ...overrides,
  });

  test("registers, lists, discovers, heartbeats and deregisters an instance", async () => {
    const input = registration({ weight: 250 });
    const created = await api.post("/api/v1/registry/instances", input);
    expect(created.status).toBe(201);
    expect(created.body.instance).toMatchObject({ id: input.id, address: "127.0.0.1:8080", weight: 250, health: "passing", enabled: true });

    const services = await api.get("/api/v1/services");
    expect(services.body.services).toContainEqual(
      expect.objectContaining({ name: input.service, instances: expect.objectContaining({ total: 1, passing: 1 }) }),
    );

    const discovery = await api.get(`/api/v1/discovery/${input.service}`);
    expect(discovery.status).toBe(200);
    expect(discovery.body.instances).toEqual([expect.objectContaining({ id: input.id, host: "127.0.0.1", port: 8080, weight: 250 })]);
    expect(Number(discovery.headers.get("x-meshdeck-index"))).toBe(discovery.body.index);

    expect((await api.put(`/api/v1/registry/instances/${input.id}/heartbeat`)).body).toEqual({ health: "passing" });
    // Re-registering the same id is an update, not a second instance.
    expect((await api.post("/api/v1/registry/instances", { ...input, port: 8081 })).status).toBe(200);
    expect((await api.get(`/api/v1/services/${input.service}`)).body.instances).toHaveLength(1);

    expect((await api.delete(`/api/v1/registry/instances/${input.id}`)).status).toBe(204);
    expect((await api.get(`/api/v1/services/${input.service}`)).body.instances).toEqual([]);
    expect((await api.put(`/api/v1/registry/instances/${input.id}/heartbeat`)).status).toBe(404);
    expect((await api.delete(`/api/v1/registry/instances/${input.id}`)).status).toBe(404);
  });

  test("a blocking discovery query returns as soon as the service changes", async () => {
    const input = registration();
    await api.post("/api/v1/registry/instances", input);
    const first = await api.get(`/api/v1/discovery/${input.service}`);

    // Nothing changes: it waits out the whole wait.
    const idle = await api.get(`/api/v1/discovery/${input.service}?index=${first.body.index}&wait=600ms`);
    expect(idle.ms).toBeGreaterThanOrEqual(550);
    expect(idle.body.index).toBe(first.body.index);

    const watching = api.get(`/api/v1/discovery/${input.service}?index=${first.body.index}&wait=20s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = registration({ service: input.service });
    await api.post("/api/v1/registry/instances", second);
    const woken = await watching;
    expect(woken.ms).toBeLessThan(5000);
    expect(woken.body.index).toBeGreaterThan(first.body.index);
    expect(woken.body.instances.map((instance: { id: string }) => instance.id).sort()).toEqual([input.id, second.id].sort());
  });

  test("discovery carries the service's load-balancing policy and hash header", async () => {
    const input = registration();
    await api.post("/api/v1/registry/instances", input);
    const discovery = await api.get(`/api/v1/discovery/${input.service}`);
    expect(discovery.body).toMatchObject({ service: input.service, policy: "weighted-round-robin", hashHeader: null });
    const unknown = await api.get(`/api/v1/discovery/${unique("none")}`);
    expect(unknown.body).toMatchObject({ policy: "weighted-round-robin", hashHeader: null, instances: [] });
  });

  test("the catalog-wide watch answers every service's traffic set at once, and wakes on a change to any of them", async () => {
    const first = registration({ weight: 30 });
    await api.post("/api/v1/registry/instances", first);
    const catalog = await api.get("/api/v1/discovery");
    expect(catalog.status).toBe(200);
    expect(Number(catalog.headers.get("x-meshdeck-index"))).toBe(catalog.body.index);
    const entry = catalog.body.services.find((service: { service: string }) => service.service === first.service);
    expect(entry).toEqual({
      service: first.service,
      index: expect.any(Number),
      policy: "weighted-round-robin",
      hashHeader: null,
      instances: [{ id: first.id, host: "127.0.0.1", port: 8080, weight: 30, tags: ["zone-a"], metadata: { version: "1.0.0" }, health: "passing" }],
    });
    expect(entry.index).toBeLessThanOrEqual(catalog.body.index);

    const watching = api.get(`/api/v1/discovery?index=${catalog.body.index}&wait=20s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = registration();
    await api.post("/api/v1/registry/instances", second);
    const woken = await watching;
    expect(woken.ms).toBeLessThan(5000);
    expect(woken.body.index).toBeGreaterThan(catalog.body.index);
    expect(woken.body.services.map((service: { service: string }) => service.service)).toEqual(expect.arrayContaining([first.service, second.service]));

    const refused = await api.get("/api/v1/discovery?index=-1");
    expect([refused.status, refused.body.error.field]).toEqual([422, "index"]);
  });

  test("a TTL instance that stops heartbeating turns critical and leaves discovery; a heartbeat brings it back", async () => {
    const input = registration({ check: { kind: "ttl", ttl: "1s" } });
    // Taken before the call: the server stamps the registration somewhere inside it.
    const registeredAt = Date.now();
    await api.post("/api/v1/registry/instances", input);
    let health = "passing";
    while (health === "passing" && Date.now() - registeredAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = (await api.get(`/api/v1/services/${input.service}`)).body.instances[0].health;
    }
    const detectedAfter = Date.now() - registeredAt;
    expect(health).toBe("critical");
    expect(detectedAfter).toBeGreaterThanOrEqual(1000);
    expect(detectedAfter).toBeLessThan(2500);
    expect((await api.get(`/api/v1/discovery/${input.service}`)).body.instances).toEqual([]);

    expect((await api.put(`/api/v1/registry/instances/${input.id}/heartbeat`)).body).toEqual({ health: "passing" });
    expect((await api.get(`/api/v1/discovery/${input.service}`)).body.instances).toHaveLength(1);
  });

  test("an id registered to another service is a conflict", async () => {
    const input = registration();
    await api.post("/api/v1/registry/instances", input);
    const clash = await api.post("/api/v1/registry/instances", registration({ id: input.id }));
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: "conflict", field: "id" });
    expect(clash.body.error.message).toContain(input.service);
  });

  test.each([
    ["a port above 65535", { port: 70000 }, 422, "port"],
    ["port 0", { port: 0 }, 422, "port"],
    ["a weight above 10000", { weight: 10001 }, 422, "weight"],
    ["a negative weight", { weight: -1 }, 422, "weight"],
    ["a fractional weight", { weight: 1.5 }, 422, "weight"],
    ["an over-long service name", { service: "s".repeat(129) }, 422, "service"],
    ["a service name with a slash", { service: "a/b" }, 422, "service"],
    ["an unknown field", { colour: "blue" }, 422, "colour"],
    ["a missing host", { host: undefined }, 422, "host"],
    ["an unknown check kind", { check: { kind: "udp" } }, 422, "check.kind"],
    ["a check timeout not below its interval", { check: { kind: "http", path: "/health", interval: "1s", timeout: "1s" } }, 422, "check.timeout"],
    ["a check interval under 100ms", { check: { kind: "tcp", interval: "50ms", timeout: "10ms" } }, 422, "check.interval"],
    ["a check path that is not a path", { check: { kind: "http", path: "health" } }, 422, "check.path"],
    ["the cloud metadata address", { host: "169.254.169.254" }, 422, "host"],
    ["a bracketed IPv4-mapped metadata address", { host: "[::ffff:a9fe:a9fe]" }, 422, "host"],
    ["a metadata address written in decimal", { host: "2852039166" }, 422, "host"],
  ])("refuses %s and stores nothing", async (_label, overrides, status, field) => {
    const input = registration(overrides);
    const response = await api.post("/api/v1/registry/instances", input);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe("validation_failed");
    expect(response.body.error.field).toBe(field);
    const services = await api.get("/api/v1/services");
    expect(services.body.services.map((service: { name: string }) => service.name)).not.toContain(input.service);
  });

  test.each(["169.254.169.254", "[::ffff:a9fe:a9fe]"])("says the address policy refused the host %s", async (host) => {
    const response = await api.post("/api/v1/registry/instances", registration({ host }));
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: "validation_failed",
      field: "host",
      message: expect.stringMatching(/^host: refused by address policy: .*169\.254\.169\.254/),
    });
  });

  test("refuses a body that is not sent as JSON with 415", async () => {
    const response = await fetch(`${target.baseUrl}/api/v1/registry/instances`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
      body: JSON.stringify(registration()),
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe("unsupported_media_type");
  });

  test("refuses a change made with the session cookie from another origin", async () => {
    const response = await fetch(`${target.baseUrl}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie, origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ name: "csrf" }),
    });
    expect(response.status).toBe(403);
  });

  test("refuses malformed JSON and an empty body with 400", async () => {
    const malformed = await api.postRaw("/api/v1/registry/instances", '{"service": "x", ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: "bad_request" });
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    expect((await api.postRaw("/api/v1/registry/instances", "")).status).toBe(400);
  });

  test("refuses requests without a token, with a malformed token and with a revoked one", async () => {
    const anonymous = apiClient(target);
    for (const call of [anonymous.get("/api/v1/services"), anonymous.post("/api/v1/registry/instances", registration())]) {
      const response = await call;
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("unauthorized");
    }
    expect((await apiClient(target, { token: "mdk_not-a-real-token" }).get("/api/v1/services")).status).toBe(401);

    const { admin, token, tokenId } = await adminAndToken(target, "to-revoke");
    const holder = apiClient(target, { token });
    expect((await holder.get("/api/v1/services")).status).toBe(200);
    expect((await admin.delete(`/api/v1/tokens/${tokenId}`)).status).toBe(204);
    const refused = await holder.post("/api/v1/registry/instances", registration());
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/revoked/);
    // A token cannot mint tokens.
    expect((await api.post("/api/v1/tokens", { name: "escalation" })).status).toBe(403);
  });
});
