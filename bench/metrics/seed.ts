// Fills a database with a synthetic fleet and its metric rollups, written exactly as the collector
// writes them, for the chart and topology query benchmarks and for working on the pages offline.
import { db } from "@/lib/db";
import { toRollupRow, type TRollupKey, type TRollupRow } from "@/lib/metrics/rollup/rollup-rows";
import type { TBuckets, TSignals } from "@/lib/metrics/types";
import { seededRandom } from "@/tests/support/seeded-random";

const bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, Infinity];
const hourMs = 3_600_000;

/** Requests in a window spread over the latency bounds around a median, with a daily rhythm. */
function windowSignals({ next, atMs, seconds, rps, medianS }: { next: () => number; atMs: number; seconds: number; rps: number; medianS: number }): TSignals {
  const daily = 1 + 0.4 * Math.sin((atMs / (24 * hourMs)) * 2 * Math.PI);
  const requests = Math.round(rps * seconds * daily * (0.8 + 0.4 * next()));
  let cumulative = 0;
  const buckets: TBuckets = bounds.map((le) => {
    // Share of requests faster than le: a log-logistic curve around the median.
    const share = Number.isFinite(le) ? 1 / (1 + (medianS / le) ** 3) : 1;
    cumulative = Math.max(cumulative, Math.round(requests * share));
    return [le, cumulative];
  });
  return { requests, errors: Math.round(requests * 0.01 * next()), buckets, summary: null };
}

export type TSeedShape = {
  services: number;
  instancesPerService: number;
  edgesPerService: number;
  hours: number;
  now?: number;
  prefix?: string;
  /** False: service and edge rows only (pages that read no instance series), a tenth of the rows at 10 instances a service. */
  instanceRows?: boolean;
};

function* windows(now: number, hours: number): Generator<{ resolution: number; atMs: number }> {
  // As retention leaves them: 10 s rows for the last hour, 1 min rows for the last day, 1 h rows beyond.
  const spans = [
    { resolution: 3600, fromMs: now - hours * hourMs, toMs: now - 24 * hourMs },
    { resolution: 60, fromMs: now - Math.min(hours, 24) * hourMs, toMs: now - hourMs },
    { resolution: 10, fromMs: now - Math.min(hours, 1) * hourMs, toMs: now },
  ];
  for (const { resolution, fromMs, toMs } of spans) {
    const stepMs = resolution * 1000;
    for (let atMs = Math.ceil(fromMs / stepMs) * stepMs; atMs < toMs; atMs += stepMs) yield { resolution, atMs };
  }
}

async function insert(rows: TRollupRow[]) {
  for (let i = 0; i < rows.length; i += 2000) await db.metricRollup.createMany({ data: rows.slice(i, i + 2000) });
}

/** Services s0..sN with instances and caller -> callee edges (to higher-numbered services, so it is acyclic). */
export async function seedMetrics({
  services,
  instancesPerService,
  edgesPerService,
  hours,
  now = Date.now(),
  prefix = "svc",
  instanceRows = true,
}: TSeedShape) {
  const next = seededRandom(services * 7919 + instancesPerService);
  const names = Array.from({ length: services }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  const callees = names.map((_, i) => {
    const picked = new Set<string>();
    const later = names.slice(i + 1);
    for (let k = 0; k < edgesPerService && later.length > 0; k += 1) picked.add(later[Math.floor(next() * later.length)] ?? "");
    return [...picked];
  });
  for (const [i, name] of names.entries()) {
    const service = await db.service.create({ data: { name } });
    await db.instance.createMany({
      data: Array.from({ length: instancesPerService }, (_, k) => ({
        serviceId: service.id,
        instanceId: `${name}-${k + 1}`,
        host: "127.0.0.1",
        port: 20_000 + k,
        health: next() < 0.03 ? "critical" : "passing",
        tags: JSON.stringify([`tier-${i % 3}`]),
        metadata: JSON.stringify({ dependencies: (callees[i] ?? []).join(",") }),
      })),
    });
  }
  let rows: TRollupRow[] = [];
  let written = 0;
  const add = async (key: TRollupKey, rps: number, medianS: number) => {
    for (const { resolution, atMs } of windows(now, hours)) {
      rows.push(toRollupRow({ key, resolution, atMs, signals: windowSignals({ next, atMs, seconds: resolution, rps, medianS }) }));
    }
    if (rows.length >= 20_000) {
      await insert(rows);
      written += rows.length;
      rows = [];
    }
  };
  for (const [i, name] of names.entries()) {
    const medianS = 0.01 + next() * 0.08;
    await add({ scope: "service", service: name, instanceId: "", peer: "" }, 20 * instancesPerService, medianS);
    for (let k = 0; k < (instanceRows ? instancesPerService : 0); k += 1)
      await add({ scope: "instance", service: name, instanceId: `${name}-${k + 1}`, peer: "" }, 20, medianS);
    for (const callee of callees[i] ?? []) await add({ scope: "edge", service: name, instanceId: "", peer: callee }, 10, medianS * 0.8);
  }
  await insert(rows);
  written += rows.length;
  return { services: names, edges: callees.reduce((sum, list) => sum + list.length, 0), rows: written };
}
