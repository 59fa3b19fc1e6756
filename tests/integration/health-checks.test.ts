import { createClient } from "@libsql/client";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { querySql, runSql } from "../support/database";
import { eventually } from "../support/eventually";
import { pool } from "../support/pool";
import type { TAppTarget } from "../support/start-app";

const targets = inject("targets");
const intervalMs = 1000;
const fall = 2;
const rise = 2;
// The target: a dead instance is decided within interval x fall + 500 ms of its last success.
const detectionBudgetMs = intervalMs * fall + 500;

type THealthEventRow = { from: string; to: string; reason: string; detectionMs: number | null };

// Health events straight from the app's database, so the test does not depend on how an API shows them.
async function readHealthEvents(target: TAppTarget, instanceId: string): Promise<THealthEventRow[]> {
  const sql = `SELECT "from", "to", "reason", "detectionMs" FROM "HealthEvent" WHERE "instanceId" = $1 ORDER BY "at", "id"`;
  if (target.databaseUrl.startsWith("file:")) {
    const client = createClient({ url: target.databaseUrl });
    try {
      const result = await client.execute({ sql: sql.replace("$1", "?"), args: [instanceId] });
      return result.rows.map((row) => ({
        from: String(row.from as string),
        to: String(row.to as string),
        reason: String(row.reason as string),
        detectionMs: row.detectionMs === null ? null : Number(row.detectionMs),
      }));
    } finally {
      client.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    return (await client.query<THealthEventRow>(sql, [instanceId])).rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listen<T extends Server | TcpServer>(server: T, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

// Closes the server and every connection it holds, a probe's half-closed one too: close() alone waits for them all.
async function kill(server: Server | TcpServer) {
  const closed = new Promise((resolve) => server.close(resolve));
  for (const socket of sockets.get(server) ?? []) socket.destroy();
  await closed;
}

const sockets = new WeakMap<Server | TcpServer, Set<Socket>>();
function tracked<T extends Server | TcpServer>(server: T): T {
  const open = new Set<Socket>();
  sockets.set(server, open);
  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return server;
}

describe.each(targets)("health checks on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  const service = unique("checked");
  const httpId = unique("http");
  const tcpId = unique("tcp");
  let http = tracked(createServer((_req, res) => res.writeHead(200).end("ok")));
  let tcp = tracked(createTcpServer((socket) => socket.end()));
  let httpPort = 0;
  let tcpPort = 0;

  const discoverable = async () => ((await api.get(`/api/v1/discovery/${service}`)).body.instances as { id: string }[]).map((i) => i.id).sort();
  async function waitForDiscovery(ids: string[], timeoutMs: number) {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if ((await discoverable()).join() === [...ids].sort().join()) return Date.now() - started;
      await sleep(50);
    }
    throw new Error(`discovery of ${service} did not become [${ids.join(", ")}] within ${timeoutMs} ms: [${(await discoverable()).join(", ")}]`);
  }

  beforeAll(async () => {
    ({ api } = await adminAndToken(target, "health-checks"));
    httpPort = await listen(http);
    tcpPort = await listen(tcp);
    const check = { interval: `${intervalMs}ms`, timeout: "800ms", rise, fall };
    const registered = await Promise.all([
      api.post("/api/v1/registry/instances", { service, id: httpId, host: "127.0.0.1", port: httpPort, check: { kind: "http", path: "/health", ...check } }),
      api.post("/api/v1/registry/instances", { service, id: tcpId, host: "127.0.0.1", port: tcpPort, check: { kind: "tcp", ...check } }),
    ]);
    expect(registered.map((r) => r.status)).toEqual([201, 201]);
  });

  afterAll(async () => {
    await Promise.allSettled([kill(http), kill(tcp)]);
    await api.delete(`/api/v1/registry/instances/${httpId}`);
    await api.delete(`/api/v1/registry/instances/${tcpId}`);
  });

  test("checked instances become passing and discoverable", async () => {
    // the collector's refresh (2 s), a jittered first probe (< 1 interval) and rise successes
    await waitForDiscovery([httpId, tcpId], 2000 + intervalMs * (rise + 2));
    const events = await readHealthEvents(target, httpId);
    expect(events.map((e) => `${e.from}>${e.to}`)).toEqual(["unknown>unknown", "unknown>passing"]);
  }, 20_000);

  test("killed instances are critical within interval x fall + 500 ms, and a blocking watch sees it at once", async () => {
    const before = await api.get(`/api/v1/discovery/${service}`);
    const watch = api.get(`/api/v1/discovery/${service}?index=${before.body.index}&wait=20s`);
    const killedAt = Date.now();
    await Promise.all([kill(http), kill(tcp)]);
    const woken = await watch;
    expect(Date.now() - killedAt).toBeLessThan(detectionBudgetMs + 500);
    expect(woken.body.index).toBeGreaterThan(before.body.index);
    const gone = await waitForDiscovery([], detectionBudgetMs + 500);
    console.log(
      `${target.name}: kill to first watch wake-up ${woken.ms.toFixed(0)} ms, kill to both gone from discovery ${Date.now() - killedAt} ms (polled ${gone} ms)`,
    );

    for (const id of [httpId, tcpId]) {
      const critical = (await readHealthEvents(target, id)).filter((e) => e.to === "critical");
      expect(critical).toHaveLength(1);
      expect(critical[0]).toMatchObject({ from: "passing", reason: expect.stringContaining("ECONNREFUSED") });
      const detectionMs = critical[0]?.detectionMs ?? Infinity;
      console.log(`${target.name}: ${id === httpId ? "http" : "tcp"} detection ${detectionMs} ms`);
      expect(detectionMs).toBeGreaterThanOrEqual(intervalMs * (fall - 1));
      expect(detectionMs).toBeLessThanOrEqual(detectionBudgetMs);
    }
  }, 20_000);

  test("restarted instances rise back to passing and into discovery", async () => {
    http = tracked(createServer((_req, res) => res.writeHead(200).end("ok")));
    tcp = tracked(createTcpServer((socket) => socket.end()));
    await Promise.all([listen(http, httpPort), listen(tcp, tcpPort)]);
    const backAfter = await waitForDiscovery([httpId, tcpId], intervalMs * rise + 1500);
    console.log(`${target.name}: restart to discoverable ${backAfter} ms`);
    for (const id of [httpId, tcpId]) {
      const events = await readHealthEvents(target, id);
      expect(events.slice(-2).map((e) => `${e.from}>${e.to}`)).toEqual(["passing>critical", "critical>passing"]);
    }
  }, 20_000);

  test("a check whose row points at cloud metadata fails with the address policy's refusal, and nothing is fetched", async () => {
    const refusedService = unique("refused");
    const refusedId = unique("refused");
    let hits = 0;
    const server = tracked(
      createServer((req, res) => {
        // Checks only: a scrape of /metrics may still reach the old address until its targets are read again.
        if (req.url === "/health") hits += 1;
        res.writeHead(200).end("ok");
      }),
    );
    const port = await listen(server);
    try {
      const check = { kind: "http", path: "/health", interval: `${intervalMs}ms`, timeout: "500ms", rise, fall };
      expect((await api.post("/api/v1/registry/instances", { service: refusedService, id: refusedId, host: "127.0.0.1", port, check })).status).toBe(201);
      const events = () => readHealthEvents(target, refusedId);
      await eventually(events, (rows) => rows.some((e) => e.to === "passing"), { timeoutMs: 2000 + intervalMs * (rise + 2) });
      // As a source could leave it (registration itself answers 422): a catalog write, its modifyIndex past the catalog
      // index, which then rises (the collector reads the instances that changed, in that order).
      await runSql(target, [
        {
          sql: `UPDATE "Instance" SET "host" = $1, "port" = 80, "modifyIndex" = (SELECT "value" + 1 FROM "Counter" WHERE "name" = 'catalog') WHERE "instanceId" = $2`,
          args: ["169.254.169.254", refusedId],
        },
        { sql: `UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = 'catalog'`, args: [] },
      ]);
      const rows = await eventually(events, (found) => found.some((e) => e.to === "critical"), { timeoutMs: 2000 + intervalMs * (fall + 2) });
      const critical = rows.find((e) => e.to === "critical")!;
      const refusal = /^refused by address policy: 169\.254\.169\.254 is a link-local address/;
      expect(critical.reason).toMatch(refusal);
      // What every viewer sees as the check's output is the refusal, not anything a server sent.
      const shown = (await api.get(`/api/v1/services/${refusedService}`)).body.instances[0];
      expect(shown).toMatchObject({ health: "critical", healthOutput: expect.stringMatching(refusal) });
      const hitsThen = hits;
      await sleep(intervalMs * 2);
      expect(hits).toBe(hitsThen);
    } finally {
      await kill(server);
      await api.delete(`/api/v1/registry/instances/${refusedId}`);
    }
  }, 30_000);
});

// The collector at scale: 2,000 checked instances at the defaults, served by this process, a batch of them killed at once.
describe.each(targets)("a collector checking 2,000 instances on $name", (target) => {
  const fleet = 2000;
  const killed = 50;
  const service = unique("fleet");
  const servers: Server[] = [];
  const ids: string[] = [];
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  const healthCount = async (health: string) =>
    Number(
      (
        await querySql<{ n: number | bigint }>(target, {
          sql: `SELECT count(*) AS n FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId" WHERE s."name" = $1 AND i."health" = $2`,
          args: [service, health],
        })
      )[0]?.n ?? 0,
    );

  beforeAll(async () => {
    ({ api } = await adminAndToken(target, "fleet-checks"));
    for (let index = 0; index < fleet; index += 1) {
      const server = tracked(createServer((_req, res) => res.writeHead(200).end("ok")));
      servers.push(server);
      ids.push(`${service}-${index}`);
    }
    const ports = await Promise.all(servers.map((server) => listen(server)));
    // Checks at the defaults (1 s, 800 ms, rise and fall 2); no metrics, so the collector only checks.
    const statuses = await pool(ids, 32, async (id, index) => {
      const body = { service, id, host: "127.0.0.1", port: ports[index]!, check: { kind: "http", path: "/health" }, metrics: null };
      return (await api.post("/api/v1/registry/instances", body)).status;
    });
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
  }, 180_000);

  afterAll(async () => {
    await pool(ids, 32, (id) => api.delete(`/api/v1/registry/instances/${id}`));
    await Promise.allSettled(servers.map((server) => kill(server)));
  }, 180_000);

  test("all pass, then a batch of kills is detected within interval x fall + 500 ms, and no live instance goes down", async () => {
    await eventually(
      () => healthCount("passing"),
      (n) => n === fleet,
      { timeoutMs: 30_000, everyMs: 500 },
    );
    const victims = Array.from({ length: killed }, (_, i) => Math.floor(((i + 0.5) * fleet) / killed));
    const killedAt = Date.now();
    await Promise.all(victims.map((index) => kill(servers[index]!)));
    const victimIds = victims.map((index) => ids[index]!);
    const inList = victimIds.map((_, i) => `$${i + 2}`).join(", ");
    const criticalOfVictims = () =>
      querySql<{ instanceId: string; at: string | Date; detectionMs: number | null }>(target, {
        sql: `SELECT "instanceId", "at", "detectionMs" FROM "HealthEvent" WHERE "to" = 'critical' AND "at" >= $1 AND "instanceId" IN (${inList})`,
        args: [new Date(killedAt - 1000).toISOString(), ...victimIds],
      });
    const events = await eventually(criticalOfVictims, (rows) => new Set(rows.map((row) => row.instanceId)).size === killed, {
      timeoutMs: detectionBudgetMs + 5000,
      everyMs: 100,
    });
    const afterKill = events.map((event) => new Date(event.at).getTime() - killedAt).sort((a, b) => a - b);
    const detections = events.map((event) => event.detectionMs ?? Infinity).sort((a, b) => a - b);
    console.log(
      `${target.name}: ${killed} of ${fleet} killed; kill to critical ${afterKill[0]}..${afterKill.at(-1)} ms, detectionMs ${detections[0]}..${detections.at(-1)} ms`,
    );
    // Each is critical once, within the budget of its last success, and the slowest within the budget of the kill.
    expect(events).toHaveLength(killed);
    expect(detections.at(-1)).toBeLessThanOrEqual(detectionBudgetMs);
    expect(afterKill.at(-1)).toBeLessThanOrEqual(detectionBudgetMs);
    expect(await healthCount("passing")).toBe(fleet - killed);
  }, 60_000);
});
