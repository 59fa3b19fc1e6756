// HAProxy driven by Meshdeck through its Runtime API, against the built app (SQLite and PostgreSQL) and Debian's real
// haproxy: instances added, reweighted, drained and removed show in `show servers state` within 500 ms; a server changed
// by hand is put back and audited; a restarted HAProxy is rebuilt; one that is gone is stale, then gets what it missed.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { parseServersState, type TServerState } from "@/lib/dataplanes/haproxy/parse";
import { adminAndToken, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { startHaproxy, type THaproxy } from "../support/haproxy";

const targets = inject("targets");

describe.each(targets)("HAProxy data plane on $name", (target) => {
  const tag = target.name === "sqlite" ? "s" : "p";
  const service = `dp-orders-${tag}-${Date.now().toString(36)}`;
  const other = `dp-users-${tag}-${Date.now().toString(36)}`;
  const plane = `haproxy-${tag}-${Date.now().toString(36)}`;
  let haproxy: THaproxy;
  let clients: Awaited<ReturnType<typeof adminAndToken>>;

  const servers = async (backend = service): Promise<TServerState[]> =>
    parseServersState(await haproxy.command(`show servers state ${backend}`)).sort((a, b) => a.name.localeCompare(b.name));
  const register = (id: string, port: number, weight = 100, name = service) =>
    clients.api.post("/api/v1/registry/instances", { service: name, id, host: "127.0.0.1", port, weight, check: { kind: "ttl", ttl: "120s" }, metrics: null });
  const change = (ids: string[], body: { weight?: number; enabled?: boolean }) =>
    clients.admin.post("/api/v1/governance/instances", { selector: { ids }, change: body, reason: "data plane test" });
  /** Polls HAProxy every 10 ms from now until `done`; the milliseconds it took. */
  const within = async (done: (list: TServerState[]) => boolean, timeoutMs = 500) => {
    const started = performance.now();
    await eventually(() => servers(), done, { timeoutMs, everyMs: 10 });
    return performance.now() - started;
  };
  const summary = (list: TServerState[]) => list.map((server) => [server.name, server.port, server.weight, server.adminState, server.opState]);
  const ids = ["orders-1", "orders-2", "orders-3"].map((id) => `${id}-${tag}`);
  const planeState = async () => (await clients.admin.get(`/api/v1/dataplanes/${plane}`)).body;

  beforeAll(async () => {
    haproxy = await startHaproxy({ backends: [service, other] });
    clients = await adminAndToken(target, unique("dataplanes"));
  }, 60_000);

  afterAll(async () => {
    await clients?.admin.delete(`/api/v1/dataplanes/${plane}`);
    await haproxy?.stop();
  });

  test("hostile or wrong input is a 4xx that stores nothing; API tokens may not add one", async () => {
    const valid = { name: plane, kind: "haproxy", address: haproxy.socket };
    const bad: [unknown, number][] = [
      [{ ...valid, address: "ipv4@169.254.169.254:9999" }, 422],
      [{ ...valid, address: "ipv4@0.0.0.0:9999" }, 422],
      [{ ...valid, address: "relative/admin.sock" }, 422],
      [{ ...valid, address: "/run/haproxy/admin.sock\nshow info" }, 422],
      [{ ...valid, address: "/run/../etc/admin.sock" }, 422],
      [{ ...valid, kind: "envoy" }, 422],
      [{ ...valid, name: "Bad Name" }, 422],
      [{ ...valid, backends: { [service]: "orders; del server x/y" } }, 422],
      [{ ...valid, backends: { a: "same", b: "same" } }, 422],
      [{ ...valid, healthMode: "both" }, 422],
      [{ ...valid, extra: true }, 422],
    ];
    for (const [body, status] of bad) {
      const answer = await clients.admin.post("/api/v1/dataplanes", body);
      expect([answer.status, JSON.stringify(body)]).toEqual([status, JSON.stringify(body)]);
    }
    expect((await clients.admin.postRaw("/api/v1/dataplanes", "{not json")).status).toBe(400);
    expect((await clients.api.post("/api/v1/dataplanes", valid)).status).toBe(403);
    const list = await clients.admin.get("/api/v1/dataplanes");
    expect(list.body.dataPlanes.filter((each: { name: string }) => each.name === plane)).toEqual([]);
  });

  test("added: it connects and follows the backend named for the service; add, reweight, drain, remove each within 500 ms", async () => {
    // The PostgreSQL app reaches HAProxy over TCP, the SQLite one over the unix socket: both forms are driven.
    const address = tag === "p" ? haproxy.tcpAddress : haproxy.socket;
    const created = await clients.admin.post("/api/v1/dataplanes", { name: plane, kind: "haproxy", address });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(
      await eventually(
        async () => (await planeState()).dataPlane.status,
        (status) => status === "connected",
      ),
    ).toBe("connected");
    expect((await clients.admin.post("/api/v1/dataplanes", { name: plane, kind: "haproxy", address })).status).toBe(409);

    const timings: Record<string, number> = {};
    // Weights 100:200:400 become 64:128:256 (the service's highest is 256).
    for (const [i, id] of ids.entries()) expect((await register(id, 9001 + i, [100, 200, 400][i])).status).toBe(201);
    timings.add = await within((list) => list.length === 3 && list.every((server) => server.adminState === 0 && server.opState === 2));
    expect(summary(await servers())).toEqual([
      [ids[0], 9001, 64, 0, 2],
      [ids[1], 9002, 128, 0, 2],
      [ids[2], 9003, 256, 0, 2],
    ]);
    // Each keeps idle connections to its instance for reuse, as a configured server does (idle_lim -1, purge_delay 5000).
    const pools = (await haproxy.command(`show servers conn ${service}`))
      .split("\n")
      .filter((line) => line.startsWith(`${service}/`))
      .map((line) => line.split(" "));
    expect(pools.map((fields) => [fields[0], fields[5], fields[11]])).toEqual(ids.map((id) => [`${service}/${id}`, "5000", "-1"]));

    let started = performance.now();
    expect((await change([ids[0]!], { weight: 400 })).status).toBe(200);
    await within((list) => list.find((server) => server.name === ids[0])?.weight === 256);
    timings.reweight = performance.now() - started;

    started = performance.now();
    expect((await change([ids[1]!], { enabled: false })).status).toBe(200);
    await within((list) => list.find((server) => server.name === ids[1])?.adminState === 8);
    timings.drain = performance.now() - started;

    started = performance.now();
    expect((await clients.api.delete(`/api/v1/registry/instances/${ids[2]}`)).status).toBeLessThan(300);
    await within((list) => list.length === 2);
    timings.remove = performance.now() - started;
    console.log(`HAProxy on ${target.name}: from the API's answer to show servers state, ms`, JSON.stringify(timings));
    expect(summary(await servers())).toEqual([
      // ids[2] (400) is gone: the service's highest is ids[0]'s 400, ids[1] keeps its 200.
      [ids[0], 9001, 256, 0, 2],
      [ids[1], 9002, 128, 8, 2],
    ]);
    // The other backend has no service of its name: it is left alone.
    expect(await servers(other)).toEqual([]);

    const view = (await planeState()).view;
    expect(view.reachable).toBe(true);
    const backend = view.backends.find((each: { backend: string }) => each.backend === service);
    expect(backend.differing).toBe(0);
    expect(backend.servers.find((row: { server: string }) => row.server === ids[1]).haproxy.status).toBe("DRAIN");
  });

  test("a server changed by hand is put back, and the audit log says so", async () => {
    expect(await haproxy.command(`set server ${service}/${ids[0]} weight 3`)).toBe("\n");
    expect(await haproxy.command(`set server ${service}/${ids[1]} state ready`)).toBe("\n");
    expect(await haproxy.command(`add server ${service}/intruder 127.0.0.1:9999`)).toContain("New server registered");
    // The repair runs every MESHDECK_DATAPLANE_REPAIR (5 s by default).
    await within(
      (list) =>
        list.length === 2 && list.find((server) => server.name === ids[0])?.weight === 256 && list.find((server) => server.name === ids[1])?.adminState === 8,
      12_000,
    );
    const audit = await eventually(
      () => clients.admin.get(`/api/v1/audit?action=dataplane.drift`),
      (answer) => answer.body.events.some((event: { target: string }) => event.target === `dataplane/${plane}`),
    );
    const event = audit.body.events.find((each: { target: string }) => each.target === `dataplane/${plane}`);
    expect(event.actor.name).toBe("meshdeck");
    expect(event.after.repaired).toEqual(
      expect.arrayContaining([
        { backend: service, server: ids[0], change: "weight" },
        { backend: service, server: ids[1], change: "state" },
        { backend: service, server: "intruder", change: "remove" },
      ]),
    );
  });

  test("HAProxy restarted: its servers are rebuilt from the catalog", async () => {
    await haproxy.stopServer();
    await haproxy.startServer();
    expect(await servers()).toEqual([]);
    await within((list) => list.length === 2 && list.find((server) => server.name === ids[1])?.adminState === 8, 12_000);
    expect(summary(await servers())).toEqual([
      [ids[0], 9001, 256, 0, 2],
      [ids[1], 9002, 128, 8, 2],
    ]);
  });

  test("the runtime socket gone: stale; changes made meanwhile reach HAProxy when it answers again", async () => {
    await haproxy.stopServer();
    const stale = await eventually(
      () => planeState(),
      (body) => body.dataPlane.status === "stale",
    );
    expect(stale.dataPlane.staleSince).not.toBeNull();
    expect(stale.view.reachable).toBe(false);
    expect((await change([ids[1]!], { enabled: true })).status).toBe(200);
    expect((await change([ids[0]!], { weight: 100 })).status).toBe(200);
    expect((await register(`orders-4-${tag}`, 9004, 400)).status).toBe(201);
    await haproxy.startServer();
    await within((list) => list.length === 3 && list.every((server) => server.adminState === 0), 12_000);
    expect(summary(await servers())).toEqual([
      [ids[0], 9001, 64, 0, 2],
      [ids[1], 9002, 128, 0, 2],
      [`orders-4-${tag}`, 9004, 256, 0, 2],
    ]);
    expect(
      (
        await eventually(
          () => planeState(),
          (body) => body.dataPlane.status === "connected",
        )
      ).dataPlane.staleSince,
    ).toBeNull();
  });

  test("health by HAProxy's own checks, then by Meshdeck's again; bad settings are refused and change nothing", async () => {
    const settings = { name: plane, kind: "haproxy", address: tag === "p" ? haproxy.tcpAddress : haproxy.socket };
    const refused = await clients.admin.put(`/api/v1/dataplanes/${plane}`, { ...settings, address: "ipv4@169.254.169.254:1" });
    expect(refused.status).toBe(422);
    expect((await clients.admin.put(`/api/v1/dataplanes/${plane}`, { ...settings, name: "renamed" })).status).toBe(422);
    expect((await clients.admin.put(`/api/v1/dataplanes/nope-${tag}`, settings)).status).toBe(404);
    // A name no data plane can have (a NUL byte: PostgreSQL refuses it in a query) is refused before any query.
    for (const method of ["get", "delete"] as const) expect((await clients.admin[method]("/api/v1/dataplanes/%00")).status).toBe(422);
    expect((await planeState()).dataPlane.address).toBe(settings.address);

    expect((await clients.admin.put(`/api/v1/dataplanes/${plane}`, { ...settings, healthMode: "haproxy" })).status).toBe(200);
    // Servers are added again with checks, enabled; nothing listens on their ports, so HAProxy's checks take them down.
    await within((list) => list.length === 3 && list.every((server) => (server.checkState & 6) === 6 && server.opState === 0), 15_000);
    expect((await clients.admin.put(`/api/v1/dataplanes/${plane}`, { ...settings, healthMode: "meshdeck" })).status).toBe(200);
    // Meshdeck's health again: checks disabled, and the servers forced up as Meshdeck has them (passing).
    await within((list) => list.length === 3 && list.every((server) => (server.checkState & 4) === 0 && server.opState === 2), 15_000);
    const audit = await clients.admin.get(`/api/v1/audit?action=dataplane.update`);
    expect(audit.body.events.filter((event: { target: string }) => event.target === `dataplane/${plane}`).length).toBe(2);
  });

  test("a service's critical instance is DOWN in HAProxy (Meshdeck's health decides by default)", async () => {
    const id = `orders-5-${tag}`;
    expect(
      (await clients.api.post("/api/v1/registry/instances", { service, id, host: "127.0.0.1", port: 9005, check: { kind: "ttl", ttl: "1s" }, metrics: null }))
        .status,
    ).toBe(201);
    // No heartbeat: the TTL runs out and the instance turns critical; HAProxy is told the server is down.
    await within((list) => list.find((server) => server.name === id)?.opState === 0, 15_000);
  });
});
