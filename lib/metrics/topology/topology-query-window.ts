import "server-only";
import { db } from "@/lib/db";
import { isPostgres } from "@/lib/env";
import { atMsOfValues, quantilesOf, resolutions, signalsOfValues, type TResolution, type TRowValues } from "../rollup/rollup-rows";
import { addSignals } from "../signals";
import type { TSignals } from "../types";
import type { TEdgeSignals, TTopologyWindow } from "../views";
import { topologyLimits } from "./topology-limits";

// A window reads at most this many rows per series: a 1 h window reads 1 min rows, not 360 of 10 s.
const maxRowsPerSeries = 60;

const noSignals: TEdgeSignals = { rps: null, errorRate: null, p50: null, p95: null, p99: null };

/** The whole `resolution` windows that end by `at` and cover at least `windowMs`. */
function alignWindow({ at, windowMs, resolution }: { at: number; windowMs: number; resolution: TResolution }) {
  const stepMs = resolution * 1000;
  const to = Math.floor(at / stepMs) * stepMs;
  return { from: to - Math.ceil(windowMs / stepMs) * stepMs, to };
}

/**
 * The resolutions to read a window at, best first: the finest still kept that far back (rows older
 * than their retention are gone) and not too many rows; coarser ones follow in case it holds none.
 */
export function resolutionsFor({
  at,
  windowMs,
  now,
  retainMs,
}: {
  at: number;
  windowMs: number;
  now: number;
  retainMs: Record<number, number>;
}): TResolution[] {
  const fitting = resolutions.filter((resolution) => windowMs / (resolution * 1000) <= maxRowsPerSeries || resolution === 3600);
  const first = fitting.findIndex((resolution) => now - alignWindow({ at, windowMs, resolution }).from <= (retainMs[resolution] ?? Infinity));
  return first === -1 ? [3600] : fitting.slice(first);
}

// Services first ('service' sorts after 'edge'), then the busiest edges: a window's read stays bounded past the fleet's size.
const maxSeries = 2 * (topologyLimits.services + topologyLimits.edges);

type TSeriesRows = { scope: string; service: string; peer: string; rows: string };

/**
 * The window's service and edge rows, one result row per series with its rows as JSON: the driver's
 * cost is per result row, and this is 3x cheaper than a findMany of each rollup row (300 services, 1000 edges).
 */
async function readSeries({ resolution, from, to, edges }: { resolution: TResolution; from: number; to: number; edges: boolean }): Promise<TSeriesRows[]> {
  const [fromAt, toAt] = [new Date(from), new Date(to)];
  // Without edges the second scope repeats the first: one statement either way.
  const scope = edges ? "edge" : "service";
  if (isPostgres()) {
    return db.$queryRaw<TSeriesRows[]>`SELECT scope, service, peer,
      json_agg(json_build_array(floor(extract(epoch FROM at) * 1000), requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets))::text AS rows
      FROM "MetricRollup" WHERE resolution = ${resolution} AND scope IN ('service', ${scope}) AND at >= ${fromAt} AND at < ${toAt}
      GROUP BY scope, service, peer ORDER BY scope DESC, sum(requests) DESC LIMIT ${maxSeries}`;
  }
  return db.$queryRaw<TSeriesRows[]>`SELECT scope, service, peer,
    json_group_array(json_array(at, requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets)) AS rows
    FROM "MetricRollup" WHERE resolution = ${resolution} AND scope IN ('service', ${scope}) AND at >= ${fromAt} AND at < ${toAt}
    GROUP BY scope, service, peer ORDER BY scope DESC, sum(requests) DESC LIMIT ${maxSeries}`;
}

export type TWindowSignals = {
  window: TTopologyWindow;
  services: Map<string, TSignals>;
  /** Keyed by `caller\u0000callee`. */
  edges: Map<string, { caller: string; callee: string; signals: TSignals }>;
};

/** Every service's and edge's signals over the window ending at `at` (edges unless `withEdges` is false), merged from the rollup rows. */
export async function readWindowSignals({
  at,
  windowMs,
  now,
  retainMs,
  withEdges = true,
}: {
  at: number;
  windowMs: number;
  now: number;
  retainMs: Record<number, number>;
  /** False: the services' rows only (the service status job). */
  withEdges?: boolean;
}): Promise<TWindowSignals> {
  const candidates = resolutionsFor({ at, windowMs, now, retainMs });
  let resolution = candidates[0] ?? 3600;
  let series: TSeriesRows[] = [];
  for (const candidate of candidates) {
    series = await readSeries({ resolution: candidate, edges: withEdges, ...alignWindow({ at, windowMs, resolution: candidate }) });
    if (series.length === 0) continue;
    resolution = candidate;
    break;
  }
  const { from, to } = alignWindow({ at, windowMs, resolution });
  const services = new Map<string, TSignals>();
  const edges: TWindowSignals["edges"] = new Map();
  // The windows not yet written (the last seconds, live) or never written count as unmeasured, not as idle.
  const windows = new Set<number>();
  for (const { scope, service, peer, rows } of series) {
    let merged: TSignals | undefined;
    for (const values of JSON.parse(rows) as TRowValues[]) {
      windows.add(atMsOfValues(values));
      const signals = signalsOfValues(values);
      merged = merged ? addSignals(merged, signals) : signals;
    }
    if (!merged) continue;
    if (scope === "service") services.set(service, merged);
    else edges.set(`${service}\u0000${peer}`, { caller: service, callee: peer, signals: merged });
  }
  return { window: { resolution, from, to, measuredMs: windows.size * resolution * 1000 }, services, edges };
}

/** Rate per second over the measured time, 5xx share and p50/p95/p99 in ms; null where nothing was measured. */
export function goldenSignals(signals: TSignals | undefined, measuredMs: number): TEdgeSignals {
  if (!signals || measuredMs === 0) return noSignals;
  return {
    rps: signals.requests / (measuredMs / 1000),
    errorRate: signals.requests > 0 ? signals.errors / signals.requests : null,
    ...quantilesOf(signals),
  };
}
