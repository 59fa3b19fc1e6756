// Consul as a source, read from a second Meshdeck speaking the Consul API (lib/compat/consul): the npm `consul`
// client registers into that Meshdeck as a Go service would into its agent, and the app under test reads it as it
// would read a Consul cluster, weights and drains written back the way Consul clients honour them.
import Consul from "consul";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

const targets = inject("targets");
let consulPort = 0;
let consul: Consul;
let agentToken = "";
let stopAgent: (() => Promise<void>) | undefined;

type TEntry = { Service: { ID: string; Weights: { Passing: number } }; Checks: { CheckID: string; Status: string }[] };
type TInstance = { id: string; health: string; weight: number; enabled: boolean; source: string };

beforeAll(async () => {
  // The Meshdeck playing the Consul agent: its own database, its own admin.
  consulPort = await freePort();
  const agent = { name: "consul-agent", baseUrl: "", databaseUrl: `file:.tmp/consul-agent-${process.pid}.db`, admin: targets[0]!.admin };
  const port = await freePort();
  const started = await startApp({ ...agent, port, env: { MESHDECK_CONSUL_PORT: String(consulPort) } });
  stopAgent = started.stop;
  ({ token: agentToken } = await adminAndToken({ ...agent, baseUrl: `http://127.0.0.1:${port}` }, "consul-source"));
  consul = new Consul({ host: "127.0.0.1", port: consulPort, defaults: { token: agentToken } });
});

afterAll(async () => {
  await stopAgent?.();
});

describe.each(targets)("a Consul source reading Meshdeck's Consul API, on $name", (target) => {
  const service = unique("shop");
  const source = unique("consul-meshdeck");
  let admin: ReturnType<typeof apiClient>;
  const idOf = (n: number) => `meshdeck:${service}-${n}`;
  const instancesOf = async (): Promise<TInstance[]> => {
    const response = await admin.get(`/api/v1/services/${service}`);
    return response.status === 200 ? (response.body.instances as TInstance[]).sort((a, b) => a.id.localeCompare(b.id)) : [];
  };
  const passingAtAgent = async () => ((await consul.health.service({ service, passing: true })) as TEntry[]).map((entry) => entry.Service.ID).sort();

  beforeAll(async () => {
    ({ admin } = await adminAndToken(target, unique("reader")));
    for (const n of [1, 2]) {
      await consul.agent.service.register({
        id: `${service}-${n}`,
        name: service,
        address: "127.0.0.1",
        port: 19600 + n,
        check: { name: "ttl", ttl: "60s", timeout: "1s" },
      });
      await consul.agent.check.pass(`service:${service}-${n}`);
    }
  });

  test("the source lists what Consul clients registered, with health, and follows a check failing and a deregistration", async () => {
    const created = await admin.post("/api/v1/sources", {
      name: source,
      kind: "consul",
      convention: "catalog",
      endpoints: [`127.0.0.1:${consulPort}`],
      password: agentToken,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await eventually(instancesOf, (list) => list.length === 2 && list.every((each) => each.health === "passing"));
    expect(listed.map((each) => [each.id, each.weight, each.enabled, each.source])).toEqual([
      [idOf(1), 100, true, source],
      [idOf(2), 100, true, source],
    ]);

    // Two apps and their collectors on a busy 2-core machine: the full suite once took over 10 s here.
    const within = { timeoutMs: 30_000, everyMs: 250 };
    await consul.agent.check.fail({ id: `service:${service}-2`, note: "disk full" });
    await eventually(instancesOf, (list) => list.find((each) => each.id === idOf(2))?.health === "critical", within);
    await consul.agent.check.pass(`service:${service}-2`);
    await eventually(instancesOf, (list) => list.find((each) => each.id === idOf(2))?.health === "passing", within);
    // The test's own limit covers its three waits: listing, failing, passing.
  }, 90_000);

  test("a drain and a weight made here reach the agent: maintenance leaves ?passing, Weights re-registered", async () => {
    const change = (body: unknown) => admin.post("/api/v1/governance/instances", body);
    const drained = await change({ selector: { ids: [idOf(1)] }, change: { enabled: false }, force: true, reason: "node going away" });
    expect(drained.status, JSON.stringify(drained.body)).toBe(200);
    await eventually(passingAtAgent, (ids) => ids.length === 1 && ids[0] === `${service}-2`);

    const weighted = await change({ selector: { ids: [idOf(2)] }, change: { weight: 7 }, force: true, reason: "canary" });
    expect(weighted.status, JSON.stringify(weighted.body)).toBe(200);
    const entries = (await consul.health.service({ service })) as TEntry[];
    expect(entries.find((entry) => entry.Service.ID === `${service}-2`)?.Service.Weights.Passing).toBe(7);
    // Read back from the agent, the change stays Meshdeck's override: no story of a registration changing.
    const shown = await eventually(instancesOf, (list) => list.find((each) => each.id === idOf(2))?.weight === 7);
    expect(shown.find((each) => each.id === idOf(1))?.enabled).toBe(false);

    expect((await change({ selector: { ids: [idOf(1), idOf(2)] }, change: { reset: true } })).status).toBe(200);
    await eventually(passingAtAgent, (ids) => ids.length === 2);
    await consul.agent.service.deregister(`${service}-1`);
    await eventually(instancesOf, (list) => list.length === 1 && list[0]!.id === idOf(2));
  });
});
