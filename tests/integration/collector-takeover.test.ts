import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { pool } from "../support/pool";

// Scale-out: collectors on one PostgreSQL split the checks; when one dies without a word (kill -9),
// the others take its instances over, and nothing goes unchecked.
const target = inject("targets").find((candidate) => candidate.name === "postgresql")!;
const collectors: ChildProcess[] = [];
const servers: Server[] = [];

function startCollector(): ChildProcess {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "collector/index.ts"], {
    detached: true,
    stdio: "ignore",
    env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: target.databaseUrl, MESHDECK_LOG_LEVEL: "error" },
  });
  collectors.push(child);
  return child;
}

async function startServer(): Promise<number> {
  const server = createServer((_request, response) => response.writeHead(200).end("ok"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

afterAll(() => {
  for (const child of collectors) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

// 2,000 instances over three collectors (these two and the app's own), at the defaults, only checked (no metrics).
const fleet = 2000;

test("a collector killed without a word has its instances taken over within a few intervals", async () => {
  const { api } = await adminAndToken(target, "takeover");
  const [victim] = [startCollector(), startCollector()];
  const service = unique("takeover");
  const ports = await Promise.all(Array.from({ length: fleet }, () => startServer()));
  const check = { kind: "http", path: "/health", interval: "1s", timeout: "800ms" };
  const statuses = await pool(ports, 32, async (port, index) => {
    const body = { service, id: `${service}-${index}`, host: "127.0.0.1", port, check, metrics: null };
    return (await api.post("/api/v1/registry/instances", body)).status;
  });
  expect(statuses.filter((status) => status !== 201)).toEqual([]);
  const counts = async () => (await api.get(`/api/v1/services/${service}`)).body.service.counts as { passing: number; critical: number };
  const until = async (done: (value: { passing: number; critical: number }) => boolean, timeoutMs: number) => {
    const started = Date.now();
    let value = await counts();
    while (!done(value) && Date.now() - started < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      value = await counts();
    }
    return { value, ms: Date.now() - started };
  };
  expect((await until((value) => value.passing === fleet, 60_000)).value.passing).toBe(fleet);

  process.kill(-victim.pid!, "SIGKILL");
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  // The lease lapses after 3 s, the survivors refresh within 2 s, and fall 2 at 1 s decides.
  const { value, ms } = await until((current) => current.critical === fleet, 20_000);
  console.log(`takeover: all ${fleet} instances critical ${ms} ms after one of three collectors was killed`);
  expect(value.critical).toBe(fleet);
  expect(ms).toBeLessThan(10_000);
  await pool(ports, 32, (_port, index) => api.delete(`/api/v1/registry/instances/${service}-${index}`));
}, 240_000);
