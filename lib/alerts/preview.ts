import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { chartWindow, readSeriesRows } from "@/lib/metrics/chart/chart-query";
import { quantilesOf } from "@/lib/metrics/rollup/rollup-rows";
import { addSignals } from "@/lib/metrics/signals";
import type { TSignals } from "@/lib/metrics/types";
import { evaluateCondition, nextAlertState, type TStoredAlert, type TWindowReading } from "./conditions";
import { type TAlertRule, type TAlertRuleFields, type TAlertState } from "./rule-schema";

export type TPreviewPoint = { t: number; value: number | null; state: TAlertState };
export type TAlertPreview = {
  service: string;
  from: number;
  to: number;
  stepMs: number;
  points: TPreviewPoint[];
  /** Spans the alert would have fired over, [from, to). */
  firing: { from: number; to: number }[];
  /** Why there is no preview (a rule on instance counts: their history is not in the rollups). */
  unavailable: string | null;
};

type TRow = { atMs: number; signals: TSignals };

/** The service's signals over [end - windowMs, end), from its 1-minute rows; null when none was measured. */
function readingOver(rows: TRow[], end: number, windowMs: number): TWindowReading | null {
  let merged: TSignals | undefined;
  for (const row of rows) {
    if (row.atMs < end - windowMs || row.atMs >= end) continue;
    merged = merged ? addSignals(merged, row.signals) : row.signals;
  }
  if (!merged) return null;
  return { rps: merged.requests / (windowMs / 1000), errorRate: merged.requests > 0 ? merged.errors / merged.requests : null, p99: quantilesOf(merged).p99 };
}

/** Errors and requests only (a burn rate's windows reach days back): summed, not merged. */
function errorsOver(rows: TRow[], end: number, windowMs: number): TWindowReading | null {
  let requests = 0;
  let errors = 0;
  let any = false;
  for (const row of rows) {
    if (row.atMs < end - windowMs || row.atMs >= end) continue;
    any = true;
    requests += row.signals.requests;
    errors += row.signals.errors;
  }
  return any ? { rps: requests / (windowMs / 1000), errorRate: requests > 0 ? errors / requests : null, p99: null } : null;
}

/**
 * How a rule would have fired on one service over the last 24 h: evaluated at the end of each of the service
 * chart's steps (5 min), from the same rollups the chart reads, its hold time counted in those steps.
 */
export async function previewAlertRule({
  input,
  service,
  now = Date.now(),
}: {
  input: TAlertRuleFields;
  service: string;
  now?: number;
}): Promise<TAlertPreview> {
  const found = await db.service.findUnique({ where: { name: service }, select: { id: true } });
  if (!found) throw new AppError("not_found", `service '${service}' is not registered`, "previewService");
  const { from, to, first, stepMs, steps } = chartWindow({ range: { preset: "24h" }, now });
  const base = { service, from, to, stepMs, points: [], firing: [] };
  if (input.kind === "instances") return { ...base, unavailable: "instance counts are not kept over time, so this rule has no preview" };
  const rule: Pick<TAlertRule, "kind" | "threshold" | "windowMs" | "objective"> = {
    kind: input.kind,
    threshold: input.threshold,
    windowMs: input.window,
    objective: input.objective ?? null,
  };
  const rows = await readSeriesRows({ key: { scope: "service", service, instanceId: "", peer: "" }, resolution: 60, from: first - input.window, to });
  const over = input.kind === "burn-rate" ? errorsOver : readingOver;
  const points: TPreviewPoint[] = [];
  const firing: TAlertPreview["firing"] = [];
  let current: TStoredAlert | undefined;
  for (let index = 0; index < steps; index += 1) {
    const t = first + index * stepMs;
    const end = Math.min(t + stepMs, now);
    const { value, active } = evaluateCondition(rule, {
      over: (windowMs) => over(rows, end, windowMs),
      instances: null,
    });
    const next = nextAlertState({ current, active, forMs: input.for, now: end });
    current = next.state === "inactive" || next.state === "resolved" ? undefined : next;
    points.push({ t, value, state: next.state });
    if (next.state === "firing") {
      const last = firing.at(-1);
      if (last && last.to === t) last.to = t + stepMs;
      else firing.push({ from: t, to: t + stepMs });
    }
  }
  return { ...base, points, firing, unavailable: null };
}
