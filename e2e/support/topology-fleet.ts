import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { createTokenViaApi, registryClient, uniqueName } from "./registry";

// A generated fleet as the topology meets it at Meshdeck's design size: 1,000 services in 20 namespaces, each calling
// 3 others (3,000 edges), registered through the registry API and serving Prometheus metrics that the app's own
// collector scrapes: edges and their rates come the way they do in production, from client metrics (and `dependencies`).
export const fleetSize = 1000;
const callsEach = 3;
const namespaces = 20;
// Latency buckets (s) and the share of requests under each: p50 about 10 ms, p99 about 200 ms.
const buckets: [string, number][] = [
  ["0.005", 0.2],
  ["0.01", 0.5],
  ["0.025", 0.8],
  ["0.05", 0.9],
  ["0.1", 0.97],
  ["0.25", 0.995],
  ["+Inf", 1],
];

export type TFleet = { prefix: string; names: string[]; namespaceOf: (name: string) => string; calleesOf: (i: number) => string[]; stop: () => Promise<void> };

const pad = (i: number) => String(i).padStart(4, "0");

/** The callees of service i: spread over the fleet, 1 to 731 places on, so never itself; the same on every call. */
function callees(i: number): number[] {
  return Array.from({ length: callsEach }, (_, k) => (i + 1 + ((13 * i) % 97) + k * 317) % fleetSize);
}

/** Counters that grow at a steady rate from the server's start: each service its own rate, 1 % errors on a few edges. */
function exposition(i: number, names: string[], startedAt: number): string {
  const seconds = (Date.now() - startedAt) / 1000;
  const lines = ["# TYPE http_requests_total counter", `http_requests_total{code="200"} ${Math.floor(seconds * (2 + (i % 5)))}`];
  lines.push("# TYPE http_client_request_duration_seconds histogram");
  for (const j of callees(i)) {
    const rate = 1 + ((i + j) % 7);
    const total = Math.floor(seconds * rate);
    const errors = j % 10 === 0 ? Math.floor(total / 100) : 0;
    for (const [code, count] of [
      ["200", total - errors],
      ["500", errors],
    ] as const) {
      const labels = `peer_service="${names[j]}",code="${code}"`;
      for (const [le, share] of buckets) lines.push(`http_client_request_duration_seconds_bucket{${labels},le="${le}"} ${Math.round(count * share)}`);
      lines.push(`http_client_request_duration_seconds_count{${labels}} ${count}`, `http_client_request_duration_seconds_sum{${labels}} ${count * 0.015}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Registers the fleet (16 registrations in flight) and serves its metrics until stop(). */
export async function seedFleet(request: APIRequestContext, noSessionRequest: APIRequestContext): Promise<TFleet> {
  const prefix = uniqueName("fl");
  const names = Array.from({ length: fleetSize }, (_, i) => `${prefix}-${pad(i)}`);
  const namespaceOf = (name: string) => `${prefix}-team-${String(Number(name.slice(-4)) % namespaces).padStart(2, "0")}`;
  const startedAt = Date.now();
  const server: Server = createServer((incoming, outgoing) => {
    const i = Number(incoming.url?.match(/^\/metrics\/(\d+)$/)?.[1] ?? Number.NaN);
    if (!Number.isInteger(i) || i < 0 || i >= fleetSize) return void outgoing.writeHead(404).end();
    outgoing.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(i, names, startedAt));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const registry = registryClient(noSessionRequest, await createTokenViaApi(request, uniqueName("e2e-fleet")));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < fleetSize) {
        const i = next++;
        const registered = await registry.register({
          service: names[i]!,
          id: `${names[i]}-1`,
          host: "127.0.0.1",
          port,
          metadata: {
            namespace: namespaceOf(names[i]!),
            dependencies: callees(i)
              .map((j) => names[j])
              .join(","),
          },
          // Long enough that none expires during the run; the metrics endpoint is what matters here.
          check: { kind: "ttl", ttl: "1h" },
          metrics: { path: `/metrics/${i}`, port },
        });
        expect(registered.status()).toBe(201);
      }
    }),
  );
  return {
    prefix,
    names,
    namespaceOf,
    calleesOf: (i) => callees(i).map((j) => names[j]!),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Waits until the collector has written rates for every fleet edge the topology shows (two scrapes 10 s apart, then
 * the window): the scrapes of 1,000 targets are spread over the interval, so one service measured says little of another.
 */
export async function waitForFleetRates(request: APIRequestContext, fleet: TFleet): Promise<void> {
  const ours = new Set(fleet.names);
  await expect
    .poll(
      async () => {
        const topology = (await (await request.get("/api/v1/topology?group=none")).json()) as { edges: { caller: string; rps: number | null }[] };
        const edges = topology.edges.filter((edge) => ours.has(edge.caller));
        return edges.length > 0 ? edges.filter((edge) => (edge.rps ?? 0) === 0).length : -1;
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toBe(0);
}

/** Clicks an edge where its line is and nothing lies over it (halfway along, else nearby), as a person would. */
export async function clickEdge(page: Page, id: string): Promise<void> {
  await expect(page.locator(`.react-flow__edge[data-id="${id}"]`)).toBeAttached();
  await clickEdgeInView(page, [id]);
}

/** Clicks the first of these edges that has a stretch in view with nothing over it. */
export async function clickEdgeInView(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) {
    const point = await visibleStretch(page, id);
    if (point) return page.mouse.click(point.x, point.y);
  }
  throw new Error(`none of ${ids.join(", ")} has a visible stretch to click`);
}

async function visibleStretch(page: Page, id: string): Promise<{ x: number; y: number } | null> {
  const path = page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`);
  if ((await path.count()) === 0) return null;
  return path.evaluate((element: SVGPathElement, edgeId) => {
    const matrix = element.getScreenCTM()!;
    const length = element.getTotalLength();
    for (const share of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
      const at = element.getPointAtLength(length * share);
      const screen = { x: at.x * matrix.a + at.y * matrix.c + matrix.e, y: at.x * matrix.b + at.y * matrix.d + matrix.f };
      const top = document.elementFromPoint(screen.x, screen.y)?.closest<SVGElement>(".react-flow__edge");
      if (top?.dataset.id === edgeId) return screen;
    }
    return null;
  }, id);
}

/**
 * A point of the pane where the canvas (a large graph's edges, zoomed out its nodes too) has something a click would
 * pick, as the pointer's tooltip says: scanned on a grid, as a person moves the pointer until it says what they want.
 */
export async function pointOnCanvas(page: Page, says: RegExp): Promise<{ x: number; y: number; title: string }> {
  const box = (await page.locator(".react-flow__pane").boundingBox())!;
  const frame = page.getByTestId("topology-frame");
  for (let y = box.y + 12; y < box.y + box.height - 12; y += 9) {
    for (let x = box.x + 12; x < box.x + box.width - 12; x += 17) {
      const over = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.classList.contains("react-flow__pane") ?? false, [x, y]);
      if (!over) continue;
      await page.mouse.move(x, y);
      const title = (await frame.getAttribute("title")) ?? "";
      if (says.test(title)) return { x, y, title };
    }
  }
  throw new Error(`no point of the canvas says ${says}`);
}

/** Frame intervals (ms) while `act` runs, from requestAnimationFrame: what a person sees as smooth or janky. */
export async function frameTimes(page: Page, act: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const frames: number[] = [];
    (window as unknown as { __frames: number[] }).__frames = frames;
    let last = performance.now();
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      if ((window as unknown as { __frames?: number[] }).__frames === frames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await act();
  return page.evaluate(() => {
    const holder = window as unknown as { __frames?: number[] };
    const frames = holder.__frames ?? [];
    delete holder.__frames;
    return frames.slice(1);
  });
}

/** Drags the pane across and back, then zooms in and out with the wheel: the pan and zoom a person does. */
export async function panAndZoom(page: Page): Promise<void> {
  const pane = page.locator(".react-flow__pane");
  const box = (await pane.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 20; step++) await page.mouse.move(x - step * 15, y - step * 8);
  for (let step = 19; step >= 0; step--) await page.mouse.move(x - step * 15, y - step * 8);
  await page.mouse.up();
  for (let step = 0; step < 10; step++) await page.mouse.wheel(0, -120);
  for (let step = 0; step < 10; step++) await page.mouse.wheel(0, 120);
  // The last frames of the zoom land before the loop stops.
  await page.waitForTimeout(300);
}

export function summarise(frames: number[]): { frames: number; p50: number; p95: number; max: number; over50: number } {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { frames: frames.length, p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? 0), over50: frames.filter((ms) => ms > 50).length };
}
