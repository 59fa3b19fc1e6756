// Consul as a source, end to end through the built app (SQLite and PostgreSQL) against a Consul HTTP API on a real
// port (tests/support/consul.ts: HashiCorp's answer shapes, real blocking queries): the first sync, a change waking
// the blocking query, a check going critical, a deregistration's story, an index going backwards, a leaderless
// server shown as stale, and weights and drains arriving at the node's agent in Consul's own form.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient } from "../support/client";
import { startConsulDouble, type TConsulDouble } from "../support/consul";
import { eventually } from "../support/eventually";

const targets = inject("targets");
const token = "3f1c9a52-7b1e-4c2a-9d8e-consul-acl";
let consul: TConsulDouble;

beforeAll(async () => {
  consul = await startConsulDouble();
});

afterAll(async () => {
  await consul?.stop();
});

type TInstance = {
  id: string;
  weight: number;
  registeredWeight: number;
  enabled: boolean;
  registeredEnabled: boolean;
  health: string;
  tags: string[];
  metadata: Record<string, string>;
  source: string;
};

describe.each(targets)("Consul source on $name", (target) => {
  let admin: ReturnType<typeof apiClient>;
  const tag = target.name === "sqlite" ? "s" : "p";
  const service = `payments-${tag}`;
  const source = `consul-${tag}`;
  const node = (n: number) => `node-${tag}-${n}`;
  const id = (n: number) => `${node(n)}:${service}-${n}`;
  const passing = { CheckID: `service:${service}`, Name: "HTTP /health", Status: "passing", Output: "HTTP GET /health: 200 OK", Notes: "" };

  const instancesOf = async (): Promise<TInstance[]> => {
    const response = await admin.get(`/api/v1/services/${service}`);
    return response.status === 200 ? (response.body.instances as TInstance[]).sort((a, b) => a.id.localeCompare(b.id)) : [];
  };
  const eventsOf = async (kind?: string) =>
    (await admin.get(`/api/v1/events?service=${service}${kind ? `&kind=${kind}` : ""}`)).body.events as Record<string, unknown>[];
  const change = (body: unknown) => admin.post("/api/v1/governance/instances", body);
  const sourceStatus = async () =>
    (await admin.get(`/api/v1/sources/${source}`)).body.source as { status: string; staleSince: string | null; error: string | null };

  beforeAll(async () => {
    ({ admin } = await adminAndToken(target, `consul-${tag}`));
    for (const n of [1, 2])
      consul.register({ id: `${service}-${n}`, name: service, node: node(n), port: 19500 + n, tags: ["v1"], meta: { zone: `z${n}` }, checks: [passing] });
  });

  test("the ACL token is sealed and never shown; the first sync brings every instance with its checks' health", async () => {
    const created = await admin.post("/api/v1/sources", { name: source, kind: "consul", convention: "catalog", endpoints: [consul.endpoint], password: token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await eventually(instancesOf, (list) => list.length === 2);
    expect(listed.map((each) => [each.id, each.health, each.weight, each.enabled, each.tags, each.metadata.zone, each.source])).toEqual([
      [id(1), "passing", 1, true, ["v1"], "z1", source],
      [id(2), "passing", 1, true, ["v1"], "z2", source],
    ]);
    expect(JSON.stringify((await admin.get("/api/v1/sources")).body)).not.toContain(token);
    const reads = consul.requests.filter((request) => request.path.startsWith("/v1/health/") || request.path.startsWith("/v1/catalog/"));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((request) => request.token === token)).toBe(true);
    // Two long polls, whatever the number of services: the catalog and every check.
    await eventually(
      async () => consul.requests.filter((request) => request.query.index && Number(request.query.index) > 0).map((request) => request.path),
      (paths) => paths.includes("/v1/catalog/services") && paths.includes("/v1/health/state/any"),
    );
    expect((await sourceStatus()).status).toBe("connected");
  });

  test("a new registration wakes the blocking query and reaches the catalog; a re-list of unchanged instances tells nothing", async () => {
    const before = (await eventsOf()).length;
    const healthReads = consul.requests.filter((request) => request.path === `/v1/health/service/${service}`).length;
    consul.register({ id: `${service}-3`, name: service, node: node(3), port: 19503, tags: ["v1"], checks: [passing] });
    await eventually(instancesOf, (list) => list.length === 3, { timeoutMs: 5000 });
    // Only the service that moved was read again, once the blocking query woke.
    expect(consul.requests.filter((request) => request.path === `/v1/health/service/${service}`).length).toBeGreaterThan(healthReads);
    const events = await eventsOf();
    expect(events.length - before).toBe(1);
    expect(events[0]).toMatchObject({ kind: "health", instanceId: id(3), from: "unknown", to: "passing" });
  });

  test("a check going critical makes the instance critical, a failover; warning is warning", async () => {
    consul.setCheck(`${service}-2`, { ...passing, Status: "critical", Output: "connection refused" });
    const [, second] = await eventually(instancesOf, (list) => list[1]?.health === "critical", { timeoutMs: 5000 });
    expect(second!.id).toBe(id(2));
    const health = (await eventsOf("health"))[0];
    expect(health).toMatchObject({ instanceId: id(2), from: "passing", to: "critical" });
    expect(String(health!.reason)).toContain("connection refused");
    expect((await eventsOf("failover"))[0]).toMatchObject({ kind: "failover", instanceId: id(2) });
    consul.setCheck(`${service}-2`, { ...passing, Status: "warning" });
    await eventually(instancesOf, (list) => list[1]?.health === "warning", { timeoutMs: 5000 });
    consul.setCheck(`${service}-2`, passing);
    await eventually(instancesOf, (list) => list[1]?.health === "passing", { timeoutMs: 5000 });
  });

  test("a weight is written back by re-registering the full definition with Weights; a drain is maintenance mode", async () => {
    const weighted = await change({ selector: { ids: [id(1)] }, change: { weight: 5 }, force: true, reason: "canary" });
    expect(weighted.status, JSON.stringify(weighted.body)).toBe(200);
    const register = consul.requests.filter((request) => request.method === "PUT" && request.path === "/v1/agent/service/register").at(-1);
    expect(register?.token).toBe(token);
    expect(register?.body).toMatchObject({
      ID: `${service}-1`,
      Name: service,
      Port: 19501,
      Tags: ["v1"],
      Meta: { zone: "z1", "meshdeck-registered-weight": "1" },
      Weights: { Passing: 5, Warning: 1 },
    });
    expect(register?.body).not.toHaveProperty("ContentHash");
    // Read back: the registered weight stays 1, the override says 5.
    const [first] = await eventually(instancesOf, (list) => list[0]?.metadata["meshdeck-registered-weight"] === undefined && list[0]?.weight === 5);
    expect([first!.weight, first!.registeredWeight]).toEqual([5, 1]);

    const drained = await change({ selector: { ids: [id(3)] }, change: { enabled: false }, force: true, reason: "node going away" });
    expect(drained.status, JSON.stringify(drained.body)).toBe(200);
    const maintenance = consul.requests.filter((request) => request.path === `/v1/agent/service/maintenance/${service}-3`).at(-1);
    expect(maintenance).toMatchObject({ method: "PUT", query: { enable: "true", reason: "Meshdeck drain" }, token });
    // Meshdeck's own maintenance reads back as its override: no second story, the registration stays enabled.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const third = (await instancesOf())[2]!;
    expect([third.enabled, third.registeredEnabled, third.health]).toEqual([false, true, "passing"]);
    const discovered = await admin.get(`/api/v1/discovery/${service}`);
    expect(discovered.body.instances.map((each: { id: string }) => each.id)).not.toContain(id(3));

    expect((await change({ selector: { ids: [id(1), id(3)] }, change: { reset: true } })).status).toBe(200);
    expect(consul.registration(`${service}-1`)).toMatchObject({ meta: { zone: "z1" }, weights: { Passing: 1, Warning: 1 } });
    expect(consul.registration(`${service}-3`)!.checks.map((check) => check.CheckID)).toEqual([passing.CheckID]);
  });

  test("weight 0 cannot be written to Consul and changes nothing", async () => {
    const refused = await change({ selector: { ids: [id(1)] }, change: { weight: 0 }, force: true, reason: "off" });
    expect(refused.status).toBe(422);
    expect((await instancesOf())[0]!.weight).toBe(1);
  });

  test("a deregistration is removal from Consul, told as such", async () => {
    consul.deregister(`${service}-3`);
    await eventually(instancesOf, (list) => list.length === 2, { timeoutMs: 5000 });
    expect((await eventsOf("health"))[0]).toMatchObject({ instanceId: id(3), to: "deregistered" });
  });

  test("an index going backwards (a restored snapshot) resets the watch, which keeps seeing changes", async () => {
    // A query sent after the restore with the old index would wait its whole wait, in Consul as here: the restore
    // is made while both watches are held, as a restore finds them.
    await eventually(
      async () => consul.blocked(),
      (paths) => paths.includes("/v1/catalog/services") && paths.includes("/v1/health/state/any"),
    );
    consul.resetIndexes();
    consul.register({ id: `${service}-4`, name: service, node: node(4), port: 19504, checks: [passing] });
    await eventually(instancesOf, (list) => list.some((each) => each.id === id(4)), { timeoutMs: 8000 });
    expect((await instancesOf()).map((each) => each.id)).toEqual([id(1), id(2), id(4)]);
    const after = consul.requests.filter((request) => request.path === "/v1/catalog/services" && request.query.index === "0");
    expect(after.length).toBeGreaterThan(0);
  });

  test("a server with no known leader makes the source stale, and it heals without events", async () => {
    const before = (await eventsOf()).length;
    await eventually(
      async () => consul.blocked(),
      (paths) => paths.includes("/v1/health/state/any"),
    );
    // The next answer, woken by a check, comes from a server that knows no leader.
    consul.setFreshness({ knownLeader: false });
    try {
      const stale = await eventually(sourceStatus, (status) => status.status === "stale", { timeoutMs: 8000 });
      expect(stale.error).toContain("no leader");
      expect(stale.staleSince).toEqual(expect.any(String));
    } finally {
      consul.setFreshness({ knownLeader: true });
    }
    await eventually(sourceStatus, (status) => status.status === "connected", { timeoutMs: 10_000 });
    expect((await eventsOf()).length).toBe(before);
    expect(await instancesOf()).toHaveLength(3);
  }, 30_000);

  test("a leader lost with nothing changing is seen by the adapter's probe within seconds", async () => {
    // No blocking query wakes for it; /v1/status/leader, asked every 5 s, answers "".
    consul.setLeaderQuietly(false);
    try {
      const stale = await eventually(sourceStatus, (status) => status.status === "stale", { timeoutMs: 10_000 });
      expect(stale.error).toContain("no leader");
    } finally {
      consul.setLeaderQuietly(true);
    }
    await eventually(sourceStatus, (status) => status.status === "connected", { timeoutMs: 10_000 });
  }, 30_000);

  test("settings Consul does not take are refused with the field", async () => {
    const withUser = await admin.post("/api/v1/sources", {
      name: `bad-${tag}`,
      kind: "consul",
      convention: "catalog",
      endpoints: [consul.endpoint],
      username: "u",
      password: "p",
    });
    expect(withUser.body.error).toMatchObject({ code: "validation_failed", field: "username" });
    const badDc = await admin.post("/api/v1/sources", {
      name: `bad-${tag}`,
      kind: "consul",
      convention: "catalog",
      endpoints: [consul.endpoint],
      prefix: "dc 1",
    });
    expect(badDc.body.error).toMatchObject({ code: "validation_failed", field: "prefix" });
    const wrongConvention = await admin.post("/api/v1/sources", { name: `bad-${tag}`, kind: "consul", convention: "url", endpoints: [consul.endpoint] });
    expect(wrongConvention.body.error.field).toBe("convention");
  });
});
