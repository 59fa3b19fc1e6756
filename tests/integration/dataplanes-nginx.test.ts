// nginx as a data plane: Meshdeck renders an upstream per service into a file the real nginx (Debian's) includes,
// tests it with nginx -t and reloads gracefully. Under continuous load through nginx, 20 weight changes (20 reloads)
// drop no request; a rendering nginx refuses keeps the last good file; a file edited by hand is written again.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken } from "../support/client";
import { eventually } from "../support/eventually";
import { startNginx, type TNginx } from "../support/nginx";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

type TUpstream = { id: string; port: number; server: Server; served: number };

async function upstream(id: string): Promise<TUpstream> {
  const counted: TUpstream = { id, port: 0, server: createServer(), served: 0 };
  counted.server.on("request", (request, response) => {
    counted.served += 1;
    request.resume();
    response.writeHead(200, { "content-type": "text/plain" }).end(id);
  });
  await new Promise<void>((resolve) => counted.server.listen(0, "127.0.0.1", resolve));
  counted.port = (counted.server.address() as AddressInfo).port;
  return counted;
}

let nginx: TNginx;
let stopApp: (() => Promise<void>) | undefined;
const upstreams: TUpstream[] = [];
let clients: Awaited<ReturnType<typeof adminAndToken>>;
const file = () => join(nginx.includeDir, "meshdeck.conf");

beforeAll(async () => {
  // An upstream the main configuration defines already: a service of that name renders a second one, which nginx -t refuses.
  nginx = await startNginx({ extraHttp: ["upstream taken { server 127.0.0.1:9; }"] });
  const databaseFile = ".tmp/integration/dataplanes-nginx.db";
  rmSync(databaseFile, { force: true });
  const app = await startApp({
    name: "dataplanes-nginx",
    port: await freePort(),
    databaseUrl: `file:${databaseFile}`,
    admin: { email: "nginx@meshdeck.test", password: `nginx-${Date.now().toString(36)}-pw` },
    env: { MESHDECK_NGINX_DIR: nginx.includeDir, MESHDECK_NGINX_CONF: nginx.config },
  });
  stopApp = app.stop;
  clients = await adminAndToken(app.target, "nginx");
  for (const n of [1, 2, 3, 4]) upstreams.push(await upstream(`web-${n}`));
}, 120_000);

afterAll(async () => {
  await stopApp?.();
  await nginx?.stop();
  for (const counted of upstreams) counted.server.close();
});

const register = (id: string, port: number, service: string, weight = 100) =>
  clients.api.post("/api/v1/registry/instances", { service, id, host: "127.0.0.1", port, weight, check: { kind: "ttl", ttl: "300s" }, metrics: null });
// One line per reload: "signal 1 (SIGHUP) received from <pid>, reconfiguring".
const reloads = () => nginx.log().match(/SIGHUP\) received/g)?.length ?? 0;

test("bad settings are refused: a path instead of a file name, HAProxy's health mode", async () => {
  for (const body of [
    { name: "edge-nginx", kind: "nginx", address: "/etc/passwd" },
    { name: "edge-nginx", kind: "nginx", address: "../x.conf" },
    { name: "edge-nginx", kind: "nginx", address: "meshdeck.conf", healthMode: "haproxy" },
  ]) {
    expect((await clients.admin.post("/api/v1/dataplanes", body)).status).toBe(422);
  }
});

test("upstreams rendered, validated and reloaded: 20 weight changes under load drop no request", async () => {
  for (const [i, counted] of upstreams.entries()) expect((await register(counted.id, counted.port, "web", (i + 1) * 100)).status).toBe(201);
  expect((await clients.admin.post("/api/v1/dataplanes", { name: "edge-nginx", kind: "nginx", address: "meshdeck.conf" })).status).toBe(201);
  await eventually(
    () => fetch(`${nginx.url}/web/`).then((answer) => answer.status),
    (status) => status === 200,
    { timeoutMs: 15_000 },
  );
  expect(readFileSync(file(), "utf8")).toContain("server 127.0.0.1:" + upstreams[3]!.port + " weight=400; # web-4");

  // Continuous load: 8 clients in a loop for the whole run, each request on a new connection (a kept-alive one that
  // an old worker closes as it retires is the client's to retry, as browsers do); every answer must come from an instance.
  let running = true;
  const outcomes = { ok: 0, failed: 0, errors: [] as string[] };
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const call = get(`${nginx.url}/web/`, { agent: false }, (answer) => {
        answer.resume();
        answer.on("end", () => resolve(answer.statusCode ?? 0));
      });
      call.on("error", reject);
      call.setTimeout(5000, () => call.destroy(new Error("no answer within 5 s")));
    });
  const client = async () => {
    while (running) {
      try {
        const status = await once();
        if (status === 200) outcomes.ok += 1;
        else {
          outcomes.failed += 1;
          outcomes.errors.push(String(status));
        }
      } catch (error) {
        outcomes.failed += 1;
        outcomes.errors.push(String(error));
      }
    }
  };
  const load = Array.from({ length: 8 }, () => client());
  const before = reloads();
  for (let change = 0; change < 20; change += 1) {
    const weight = 100 + ((change % 4) + 1) * 50;
    const answer = await clients.admin.post("/api/v1/governance/instances", { selector: { ids: ["web-1"] }, change: { weight }, reason: `reload ${change}` });
    expect(answer.status).toBe(200);
    // The rendered file has the new weight within a reload slot (nginx is reloaded at most once a second).
    await eventually(
      async () => readFileSync(file(), "utf8"),
      (text) => text.includes(`weight=${weight}; # web-1`),
      { timeoutMs: 5000, everyMs: 20 },
    );
    await eventually(
      async () => reloads(),
      (count) => count >= before + change + 1,
      { timeoutMs: 5000, everyMs: 50 },
    );
  }
  running = false;
  await Promise.all(load);
  console.log(`nginx: ${reloads() - before} reloads, ${outcomes.ok} requests answered, ${outcomes.failed} failed`);
  expect(reloads() - before).toBeGreaterThanOrEqual(20);
  expect(outcomes.ok).toBeGreaterThan(100);
  expect(outcomes).toEqual({ ok: outcomes.ok, failed: 0, errors: [] });
  expect(upstreams.every((counted) => counted.served > 0)).toBe(true);
}, 120_000);

test("a rendering nginx -t refuses keeps the last good file, and says so; a file edited by hand is written again", async () => {
  const good = readFileSync(file(), "utf8");
  expect((await register("taken-1", 9999, "taken")).status).toBe(201);
  const audit = await eventually(
    () => clients.admin.get("/api/v1/audit?action=dataplane.rejected"),
    (answer) => answer.body.events.length > 0,
  );
  expect(audit.body.events[0].target).toBe("dataplane/edge-nginx");
  expect(readFileSync(file(), "utf8")).toBe(good);
  const plane = await eventually(
    async () => (await clients.admin.get("/api/v1/dataplanes/edge-nginx")).body.dataPlane,
    (dataPlane) => String(dataPlane.error).includes("nginx -t refused"),
  );
  expect(plane.error).toMatch(/duplicate upstream "taken"/);
  expect((await fetch(`${nginx.url}/web/`)).status).toBe(200);

  // Services are never forgotten: the explicit map that leaves it out makes the rendering good again.
  const settings = { name: "edge-nginx", kind: "nginx", address: "meshdeck.conf", backends: { web: "web" } };
  expect((await clients.admin.put("/api/v1/dataplanes/edge-nginx", settings)).status).toBe(200);
  // The PUT itself marks it pending; its new driver's first round makes it connected, with nothing to say.
  await eventually(
    async () => (await clients.admin.get("/api/v1/dataplanes/edge-nginx")).body.dataPlane,
    (dataPlane) => dataPlane.status === "connected" && dataPlane.error === null,
    { timeoutMs: 10_000 },
  );

  writeFileSync(file(), "# edited by hand\nupstream web { server 127.0.0.1:9; }\n");
  await eventually(
    async () => readFileSync(file(), "utf8"),
    (text) => text.includes("# web-1"),
    { timeoutMs: 12_000, everyMs: 100 },
  );
  // The repair is audited after the file is written back: wait for the row, not just the file.
  const drift = await eventually(
    () => clients.admin.get("/api/v1/audit?action=dataplane.drift"),
    (answer) => answer.body.events.some((event: { target: string }) => event.target === "dataplane/edge-nginx"),
  );
  expect(drift.body.events.some((event: { target: string }) => event.target === "dataplane/edge-nginx")).toBe(true);
  expect((await fetch(`${nginx.url}/web/`)).status).toBe(200);
});
