import { createClient } from "@libsql/client";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { runSql } from "../support/database";
import { eventually } from "../support/eventually";
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
      createServer((_req, res) => {
        hits += 1;
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
