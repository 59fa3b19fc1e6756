// The gateway as it runs: its own process (gateway/index.ts) following the built app's catalog with an API token,
// routing real requests to real instances (node:http servers here) that count what reaches them.
import { createWriteStream } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { spawnGateway } from "@/lib/gateway/spawn-gateway";
import { adminAndToken, unique } from "../support/client";
import { runSql } from "../support/database";

const targets = inject("targets");

type TUpstream = { id: string; port: number; server: Server; arrivals: number[]; gets: number; posts: number };

async function upstream(id: string): Promise<TUpstream> {
  const counted: TUpstream = { id, port: 0, server: createServer(), arrivals: [], gets: 0, posts: 0 };
  counted.server.on("request", (request, response) => {
    // The instance's own counters, not the gateway's: what really reached it, and when.
    counted.arrivals.push(performance.now());
    if (request.method === "POST") counted.posts += 1;
    else counted.gets += 1;
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id })));
  });
  await new Promise<void>((resolve) => counted.server.listen(0, "127.0.0.1", resolve));
  counted.port = (counted.server.address() as AddressInfo).port;
  return counted;
}

function reset(...upstreams: TUpstream[]) {
  for (const counted of upstreams) Object.assign(counted, { arrivals: [], gets: 0, posts: 0 });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

describe.each(targets)("gateway on $name", (target) => {
  let api: Awaited<ReturnType<typeof adminAndToken>>["api"];
  let admin: Awaited<ReturnType<typeof adminAndToken>>["admin"];
  let gateway = "";
  let stopGateway = async () => {};
  const upstreams: TUpstream[] = [];

  const register = (service: string, counted: TUpstream, weight: number) =>
    api.post("/api/v1/registry/instances", {
      service,
      id: counted.id,
      host: "127.0.0.1",
      port: counted.port,
      weight,
      check: { kind: "ttl", ttl: "60s" },
      metrics: null,
    });
  const send = (service: string, init?: RequestInit) => fetch(`${gateway}/${service}/work`, init);

  // Registers the instances and waits until the gateway has sent each one a request.
  async function routed(service: string, weights: [TUpstream, number][]) {
    for (const [counted, weight] of weights) expect((await register(service, counted, weight)).status).toBe(201);
    const deadline = Date.now() + 5000;
    while (weights.some(([counted]) => counted.arrivals.length === 0) && Date.now() < deadline) await (await send(service)).text();
    reset(...weights.map(([counted]) => counted));
  }

  beforeAll(async () => {
    const made = await adminAndToken(target, "gateway-test");
    api = made.api;
    admin = made.admin;
    const token = made.token;
    const started = spawnGateway({
      env: { PATH: process.env.PATH, MESHDECK_URL: target.baseUrl, MESHDECK_TOKEN: token, MESHDECK_HOST: "127.0.0.1", MESHDECK_GATEWAY_PORT: "0" },
      output: "pipe",
    });
    const log = createWriteStream(`.tmp/integration/gateway-${target.name}.log`);
    started.child.stdout?.pipe(log);
    started.child.stderr?.pipe(log);
    stopGateway = async () => {
      if (started.child.exitCode !== null) return;
      const exited = new Promise((resolve) => started.child.once("exit", resolve));
      started.child.kill("SIGTERM");
      await exited;
    };
    const url = await started.listening;
    if (!url) throw new Error(`the gateway did not start; see .tmp/integration/gateway-${target.name}.log`);
    gateway = url;
    // Ready once the first catalog is in.
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${gateway}/_gateway/health`)).status !== 200) {
      if (Date.now() > deadline) throw new Error("the gateway got no catalog within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await stopGateway();
    for (const counted of upstreams) counted.server.closeAllConnections();
    await Promise.all(upstreams.map((counted) => new Promise((resolve) => counted.server.close(resolve))));
    await Promise.all(upstreams.map((counted) => api.delete(`/api/v1/registry/instances/${counted.id}`)));
  });

  async function pair(): Promise<[TUpstream, TUpstream]> {
    const made = await Promise.all([upstream(unique("one")), upstream(unique("three"))]);
    upstreams.push(...made);
    return made;
  }

  test("400 requests follow weights 1:3 exactly, counted by the instances themselves", async () => {
    const service = unique("gw");
    const [one, three] = await pair();
    await routed(service, [
      [one, 1],
      [three, 3],
    ]);
    for (let batch = 0; batch < 50; batch++) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => send(service)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
      await Promise.all(answers.map((answer) => answer.text()));
    }
    expect([one.gets, three.gets]).toEqual([100, 300]);
  });

  test("an instance re-registered with weight 0 gets no request within 1 s; changes reach routing in well under 1 s", async () => {
    const service = unique("gw");
    const [moved, other] = await pair();
    await routed(service, [
      [moved, 1],
      [other, 1],
    ]);
    // Requests one after another for the whole test: the instances' arrival times show when routing changed.
    let pumping = true;
    const pump = (async () => {
      while (pumping) expect((await (await send(service)).json()).id).toMatch(/^(one|three)-/);
    })();
    const delays: number[] = [];
    for (let change = 0; change < 50; change++) {
      const weight = change % 2 === 0 ? 0 : 1;
      const before = moved.arrivals.length;
      const changedAt = performance.now();
      expect((await register(service, moved, weight)).status).toBe(200);
      if (weight === 1) {
        // Back in: the delay is until its first request.
        await expect.poll(() => moved.arrivals.length, { timeout: 2000, interval: 5 }).toBeGreaterThan(before);
        delays.push(moved.arrivals[before]! - changedAt);
      } else {
        // Out: nothing may reach it once the change is through; the delay is until its last request.
        await new Promise((resolve) => setTimeout(resolve, change === 0 ? 1500 : 150));
        const last = moved.arrivals.at(-1) ?? changedAt;
        delays.push(Math.max(0, last - changedAt));
        if (change === 0) expect(last - changedAt).toBeLessThan(1000);
      }
    }
    pumping = false;
    await pump;
    const [p50, p99] = [percentile(delays, 0.5), percentile(delays, 0.99)];
    console.log(`gateway on ${target.name}: registry change -> routing over ${delays.length} changes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThan(1000);
  });

  test("with one instance's server gone, idempotent GETs still succeed on the other and a POST with a body fails with 502", async () => {
    const service = unique("gw");
    const [survivor, killed] = await pair();
    await routed(service, [
      [survivor, 1],
      [killed, 3],
    ]);
    killed.server.closeAllConnections();
    await new Promise((resolve) => killed.server.close(resolve));

    for (let k = 0; k < 20; k++) expect((await send(service)).status).toBe(200);
    expect(survivor.gets).toBe(20);

    const posts = await Promise.all(
      Array.from({ length: 8 }, () => send(service, { method: "POST", headers: { "content-type": "application/json" }, body: '{"amount":1}' })),
    );
    const failed = posts.filter((answer) => answer.status === 502);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length + survivor.posts).toBe(8);
    expect(posts.every((answer) => answer.status === 200 || answer.status === 502)).toBe(true);
    expect((await failed[0]!.json()).error.code).toBe("bad_gateway");
    expect(killed.posts + killed.gets).toBe(0);
  });

  test("an unknown service is a 503 with a JSON error", async () => {
    const answer = await send(unique("nobody"));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect((await answer.json()).error).toMatchObject({ code: "unknown_service" });
  });

  test("instances whose rows point at cloud metadata (not through registration, which refuses them) are never forwarded to", async () => {
    const service = unique("gw");
    const [one, three] = await pair();
    await routed(service, [
      [one, 1],
      [three, 1],
    ]);
    // As a source or a hand edit could leave them; registration itself answers 422.
    const update = `UPDATE "Instance" SET "host" = $1, "port" = 80 WHERE "instanceId" = $2`;
    await runSql(target, [
      { sql: update, args: ["169.254.169.254", one.id] },
      { sql: update, args: ["::ffff:a9fe:a9fe", three.id] },
    ]);
    // Any change wakes the gateway's catalog watch, which then reads every service afresh.
    const other = await upstream(unique("other"));
    upstreams.push(other);
    expect((await register(unique("gw"), other, 1)).status).toBe(201);
    // Until the gateway has the new catalog, requests still reach the instances' real servers.
    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      const answer = await send(service);
      status = answer.status;
      await answer.text();
    }
    expect(status).toBe(502);
    reset(one, three);
    for (const method of ["GET", "POST"]) {
      const refused = await fetch(`${gateway}/${service}/latest/meta-data/`, { method });
      expect(refused.status).toBe(502);
      expect((await refused.json()).error).toMatchObject({ code: "bad_gateway", message: expect.stringContaining("refused by address policy: ") });
    }
    expect(one.gets + one.posts + three.gets + three.posts).toBe(0);
  });

  test("an operator's weight change through the governance API reaches discovery at once and the gateway's routing within 1 s", async () => {
    const service = unique("gw");
    const [drained, other] = await pair();
    await routed(service, [
      [drained, 1],
      [other, 1],
    ]);
    const changedAt = performance.now();
    const change = await admin.post("/api/v1/governance/instances", { selector: { ids: [drained.id] }, change: { weight: 0 }, reason: "integration" });
    expect(change.status).toBe(200);
    expect(change.body.changed).toEqual([expect.objectContaining({ id: drained.id, weight: 0, version: 1 })]);
    // Discovery answers with the new set as soon as the change is accepted.
    expect((await api.get(`/api/v1/discovery/${service}`)).body.instances.map((instance: { id: string }) => instance.id)).toEqual([other.id]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const last = drained.arrivals.at(-1) ?? changedAt;
    expect(last - changedAt).toBeLessThan(1000);
    reset(drained, other);
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(service)));
    await Promise.all(answers.map((answer) => answer.text()));
    expect([drained.gets, other.gets]).toEqual([0, 20]);
    // A re-registration (the instance restarting) keeps the operator's weight.
    expect((await register(service, drained, 1)).status).toBe(200);
    const again = await Promise.all(Array.from({ length: 10 }, () => send(service)));
    await Promise.all(again.map((answer) => answer.text()));
    expect(drained.gets).toBe(0);
  });

  test("it registered itself as an instance of `gateway` whose metrics carry its requests per service and instance", async () => {
    const service = unique("gw");
    const [one, three] = await pair();
    await routed(service, [
      [one, 1],
      [three, 1],
    ]);
    for (let k = 0; k < 4; k++) await (await send(service)).text();
    const registered = await api.get("/api/v1/services/gateway");
    const self = registered.body.instances.find((instance: { port: number }) => gateway.endsWith(`:${instance.port}`));
    expect(self).toMatchObject({ health: "passing", metrics: { path: "/_gateway/metrics" } });
    const metrics = await (await fetch(`${gateway}/_gateway/metrics`)).text();
    expect(metrics).toContain(`http_client_requests_total{peer_service="${service}",instance="${one.id}",method="GET",code="200"}`);
    expect(metrics).toMatch(
      new RegExp(`http_client_request_duration_seconds_count\\{peer_service="${service}",instance="${three.id}",method="GET",code="200"\\} \\d+`),
    );
  });
});
