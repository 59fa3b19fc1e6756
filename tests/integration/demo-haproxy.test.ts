// MESHDECK_DEMO_HAPROXY=1: the app starts Debian's HAProxy with a backend per demo service, adds it as a data plane,
// and the demo fleet's calls go through it; a drain made in Meshdeck shows in HAProxy as DRAIN; HAProxy's exporter
// makes its calls edges of the topology.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { adminAndToken } from "../support/client";
import { eventually } from "../support/eventually";
import { runtimeCommand } from "../support/haproxy";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

let stop: (() => Promise<void>) | undefined;
afterAll(async () => stop?.());

type TRow = { server: string; instanceId: string | null; haproxy: { status: string } | null; differences: string[] };
type TBackend = { backend: string; servers: TRow[]; differing: number };

test("the demo fleet's traffic runs through a HAProxy that Meshdeck drives; a drain reaches it", async () => {
  const databaseFile = ".tmp/integration/demo-haproxy.db";
  rmSync(databaseFile, { force: true });
  const haproxyPort = await freePort();
  const app = await startApp({
    name: "demo-haproxy",
    port: await freePort(),
    databaseUrl: `file:${databaseFile}`,
    admin: { email: "demo@meshdeck.test", password: `demo-${Date.now().toString(36)}-pw` },
    env: { MESHDECK_DEMO: "1", MESHDECK_DEMO_HAPROXY: "1", MESHDECK_DEMO_HAPROXY_PORT: String(haproxyPort) },
  });
  stop = app.stop;
  const { admin } = await adminAndToken(app.target, "demo-haproxy");
  const view = async () => (await admin.get("/api/v1/dataplanes/demo-haproxy")).body;
  const backendOf = (body: { view: { backends?: TBackend[] } }, name: string) => body.view.backends?.find((backend) => backend.backend === name);

  // Every demo service's instances become servers of its backend, in step with the catalog.
  const ready = await eventually(
    () => view(),
    (body) =>
      body?.dataPlane?.status === "connected" &&
      ["frontend", "orders", "payments", "inventory", "users"].every(
        (name) => (backendOf(body, name)?.servers.length ?? 0) > 0 && backendOf(body, name)?.differing === 0,
      ),
    { timeoutMs: 60_000, everyMs: 500 },
  );
  const orders = backendOf(ready, "orders")!.servers;

  // HAProxy routes /<service>/<path> to the service's instances, as the gateway does.
  // (The demo's instances fail a small share of requests on purpose: 20 calls, nearly all answered by an instance.)
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${haproxyPort}/inventory/stock`).then((answer) => answer.status)),
  );
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(18);
  // The fleet's own calls go through it too: HAProxy's counters of the frontend backend move.
  const socket = join(tmpdir(), `meshdeck-demo-haproxy-${haproxyPort}`, "admin.sock");
  const totalSessions = async () => {
    const lines = (await runtimeCommand(socket, "show stat frontend 2 -1")).split("\n");
    const header = lines[0]!.slice(2).split(",");
    return Number(lines[1]!.split(",")[header.indexOf("stot")]);
  };
  await eventually(totalSessions, (count) => count > 0, { timeoutMs: 15_000, everyMs: 500 });

  const drained = orders[0]!.instanceId!;
  const change = await admin.post("/api/v1/governance/instances", { selector: { ids: [drained] }, change: { enabled: false }, reason: "demo haproxy test" });
  expect(change.status).toBe(200);
  // The backend's other servers may still be coming up as their checks pass: each is pushed on the next round.
  await eventually(
    () => view(),
    (body) =>
      backendOf(body, "orders")?.servers.find((row) => row.instanceId === drained)?.haproxy?.status === "DRAIN" && backendOf(body, "orders")?.differing === 0,
  );

  // HAProxy's own exporter is scraped: the fleet's calls through it are edges from the demo-haproxy node.
  const topology = await eventually(
    async () => (await admin.get("/api/v1/topology")).body as { edges?: { caller: string; callee: string; observed: boolean; rps: number | null }[] },
    (body) => body.edges?.some((edge) => edge.caller === "demo-haproxy" && edge.observed && (edge.rps ?? 0) > 0) ?? false,
    { timeoutMs: 60_000, everyMs: 1000 },
  );
  const callees = topology.edges!.filter((edge) => edge.caller === "demo-haproxy" && edge.observed).map((edge) => edge.callee);
  expect(callees.every((callee) => ["frontend", "orders", "payments", "inventory", "users"].includes(callee))).toBe(true);
}, 150_000);
