import "server-only";
import { db } from "@/lib/db";
import { isPostgres } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { listChartMarkers } from "./chart-query-markers";
import { atMsOfValues, quantilesOf, resolutions, signalsOfValues, type TResolution, type TRollupKey, type TRowValues } from "../rollup/rollup-rows";
import { addSignals } from "../signals";
import type { TSignals } from "../types";
import { resolveTimeRange, type TTimeRange } from "@/lib/time/range";
import type { TChartPoint, TChartSeriesOf, TServiceChart } from "../views";

export const maxChartPoints = 300;

/** The rollup a range reads: 10 s rows up to an hour, 1 min rows up to a day, 1 h rows beyond. */
function resolutionOf(spanMs: number): TResolution {
  return spanMs <= 3_600_000 ? 10 : spanMs <= 86_400_000 ? 60 : 3600;
}

/**
 * The steps of a chart ending at `now`: the smallest multiple of the range's resolution that keeps the
 * points within maxChartPoints. Steps align to the epoch, so a refreshed chart keeps its points where they
 * were; the first starts at or after `from`, the last is the one in progress at `now`.
 */
export function chartWindow({ range, now }: { range: TTimeRange; now: number }) {
  const { preset, from, to } = resolveTimeRange(range, now);
  const resolution = resolutionOf(to - from);
  const windows = (to - from) / (resolution * 1000);
  const stepMs = Math.ceil(windows / maxChartPoints) * resolution * 1000;
  const first = Math.ceil(from / stepMs) * stepMs;
  const last = Math.floor((to - 1) / stepMs) * stepMs;
  return { preset, resolution, stepMs, from, to, first, steps: (last - first) / stepMs + 1 };
}

export function rollupKeyOfSeries({ service, of }: { service: string; of: TChartSeriesOf }): TRollupKey {
  if (of.scope === "instance") return { scope: "instance", service, instanceId: of.instanceId, peer: "" };
  if (of.scope === "edge") return { scope: "edge", service: of.caller, instanceId: "", peer: of.callee };
  return { scope: "service", service, instanceId: "", peer: "" };
}

type TSeriesRow = { atMs: number; signals: TSignals };

/** One series' rows at one resolution in [from, to), as one JSON result row: the driver's cost is per result row. */
async function readRowValues({ key, resolution, from, to }: { key: TRollupKey; resolution: TResolution; from: number; to: number }): Promise<TRowValues[]> {
  const [fromAt, toAt] = [new Date(from), new Date(to)];
  const { scope, service, instanceId, peer } = key;
  const [found] = isPostgres()
    ? await db.$queryRaw<
        { rows: string | null }[]
      >`SELECT json_agg(json_build_array(floor(extract(epoch FROM at) * 1000), requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets))::text AS rows
      FROM "MetricRollup" WHERE resolution = ${resolution} AND scope = ${scope} AND service = ${service} AND "instanceId" = ${instanceId} AND peer = ${peer} AND at >= ${fromAt} AND at < ${toAt}`
    : await db.$queryRaw<{ rows: string | null }[]>`SELECT json_group_array(json_array(at, requests, errors, "p50Ms", "p95Ms", "p99Ms", buckets)) AS rows
      FROM "MetricRollup" WHERE resolution = ${resolution} AND scope = ${scope} AND service = ${service} AND "instanceId" = ${instanceId} AND peer = ${peer} AND at >= ${fromAt} AND at < ${toAt}`;
  return found?.rows ? (JSON.parse(found.rows) as TRowValues[]) : [];
}

/**
 * One series' rows in [from, to) at `resolution`, then finer ones after the newest coarse row: 1 min and
 * 1 h rows are built only once their window is over, so the latest part of a range comes from finer rows.
 */
export async function readSeriesRows({ key, resolution, from, to }: { key: TRollupKey; resolution: TResolution; from: number; to: number }) {
  const rows: TSeriesRow[] = [];
  let start = from;
  for (const each of resolutions.filter((r) => r <= resolution).reverse()) {
    if (start >= to) break;
    const windowMs = each * 1000;
    for (const values of await readRowValues({ key, resolution: each, from: start, to })) {
      const atMs = atMsOfValues(values);
      rows.push({ atMs, signals: signalsOfValues(values) });
      start = Math.max(start, atMs + windowMs);
    }
  }
  return rows;
}

/** Rows merged into steps; a step without any row stays undefined: not measured, which is not zero. */
function mergeSteps({ rows, first, stepMs, steps }: { rows: TSeriesRow[]; first: number; stepMs: number; steps: number }) {
  const merged: (TSignals | undefined)[] = Array.from({ length: steps }, () => undefined);
  for (const row of rows) {
    const index = Math.floor((row.atMs - first) / stepMs);
    if (index < 0 || index >= steps) continue;
    const { signals } = row;
    const current = merged[index];
    merged[index] = current ? addSignals(current, signals) : signals;
  }
  return merged;
}

const finestMs = resolutions[0] * 1000;

/** Where the collectors have written up to: the end of the newest 10 s window before `to` (`to` when there is none). */
async function getMeasuredUntil({ to }: { to: number }): Promise<number> {
  const newest = await db.metricRollup.findFirst({
    where: { resolution: resolutions[0], at: { lt: new Date(to) } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return newest ? newest.at.getTime() + finestMs : to;
}

function toPoints({
  merged,
  measuredUntil,
  first,
  stepMs,
}: {
  merged: (TSignals | undefined)[];
  measuredUntil: number;
  first: number;
  stepMs: number;
}): TChartPoint[] {
  return merged.map((signals, index) => {
    const t = first + index * stepMs;
    if (!signals) return { t, rps: null, errorRate: null, p50: null, p95: null, p99: null };
    // The step still being measured counts only the time measured so far, so the last point does not dip.
    const seconds = (Math.max(Math.min(t + stepMs, measuredUntil), t + finestMs) - t) / 1000;
    const { p50, p95, p99 } = quantilesOf(signals);
    return { t, rps: signals.requests / seconds, errorRate: signals.requests > 0 ? signals.errors / signals.requests : null, p50, p95, p99 };
  });
}

/** The services that called `service` (callers) and that it called (callees) in the rows of [from, to). */
async function listPeers({ service, resolution, from, to }: { service: string; resolution: TResolution; from: number; to: number }) {
  const callers = new Set<string>();
  const callees = new Set<string>();
  // Finer rows too, as a new edge shows before its first coarse row is built. One query per resolution:
  // given `resolution IN (...)`, SQLite scans the (resolution, at) index instead of the key.
  await Promise.all(
    resolutions
      .filter((r) => r <= resolution)
      .map(async (each) => {
        const where = { resolution: each, scope: "edge", instanceId: "", at: { gte: new Date(from), lt: new Date(to) } };
        const [into, out] = await Promise.all([
          db.metricRollup.groupBy({ by: ["service"], where: { ...where, peer: service } }),
          db.metricRollup.groupBy({ by: ["peer"], where: { ...where, service } }),
        ]);
        for (const row of into) callers.add(row.service);
        for (const row of out) callees.add(row.peer);
      }),
  );
  return { callers: [...callers].sort(), callees: [...callees].sort() };
}

/** Fails with not_found when the series names a service or instance Meshdeck does not know. */
async function assertSeriesKnown({ service, of }: { service: string; of: TChartSeriesOf }) {
  const peer = of.scope === "edge" ? (of.caller === service ? of.callee : of.caller) : null;
  const [found, peerFound] = await Promise.all([
    db.service.findUnique({
      where: { name: service },
      select: { id: true, instances: of.scope === "instance" ? { where: { instanceId: of.instanceId }, select: { id: true }, take: 1 } : undefined },
    }),
    peer === null ? null : db.service.findUnique({ where: { name: peer }, select: { id: true } }),
  ]);
  if (!found) throw new AppError("not_found", `service '${service}' is not registered`, "name");
  if (of.scope === "edge" && of.caller !== service && of.callee !== service) {
    throw new AppError("validation_failed", `an edge on the chart of '${service}' must start or end there`, "of");
  }
  if (peer !== null && !peerFound) {
    const field = of.scope === "edge" && of.caller === service ? "callee" : "caller";
    throw new AppError("not_found", `service '${peer}' is not registered`, field);
  }
  // A removed instance keeps its history: it is unknown only when it left no rows either.
  return { registered: of.scope !== "instance" || (found.instances?.length ?? 0) > 0 };
}

/** Golden signals of a service, one of its instances or one of its edges over `range`, with the events of that time. */
export async function getServiceChart({
  service,
  range,
  of,
  now = Date.now(),
}: {
  service: string;
  range: TTimeRange;
  of: TChartSeriesOf;
  now?: number;
}): Promise<TServiceChart> {
  const { preset, resolution, stepMs, from, to, first, steps } = chartWindow({ range, now });
  const [{ registered }, rows, measuredUntil, markers, peers] = await Promise.all([
    assertSeriesKnown({ service, of }),
    readSeriesRows({ key: rollupKeyOfSeries({ service, of }), resolution, from: first, to }),
    getMeasuredUntil({ to }),
    listChartMarkers({ service, of, from, to }),
    listPeers({ service, resolution, from: first, to }),
  ]);
  if (!registered && rows.length === 0 && of.scope === "instance") {
    throw new AppError("not_found", `instance '${of.instanceId}' of '${service}' is not registered and has no metrics in the range`, "instance");
  }
  const points = toPoints({ merged: mergeSteps({ rows, first, stepMs, steps }), measuredUntil, first, stepMs });
  return { service, of, range: preset, from, to, stepMs, resolution, points, markers, peers };
}
