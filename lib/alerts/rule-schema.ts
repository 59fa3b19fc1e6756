import { z } from "zod";
import { ZDuration } from "@/lib/duration";
import { ZServiceName } from "@/lib/registry/schemas";

// What an alert rule is, as the form, the API and the evaluator read it. Pure: the browser's form uses it.

export const alertKinds = ["error-rate", "p99", "request-rate", "instances", "burn-rate"] as const;
export type TAlertKind = (typeof alertKinds)[number];

export const alertSeverities = ["critical", "warning", "info"] as const;
export type TAlertSeverity = (typeof alertSeverities)[number];

export const alertStates = ["inactive", "pending", "firing", "resolved"] as const;
export type TAlertState = (typeof alertStates)[number];

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * The windows a signal may be read over: a fixed few, so one evaluation reads each window once for every rule and
 * service (a set-based read per window), never one read per rule.
 */
export const signalWindows = [minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour] as const;
/** Burn-rate long windows (the SRE workbook's 1 h, 6 h, 1 d and 3 d); the short window is a twelfth of the long one. */
export const burnWindows = [hour, 6 * hour, day, 3 * day] as const;
export const sloWindows = [7 * day, 28 * day, 30 * day] as const;
export const shortWindowOf = (longMs: number) => longMs / 12;

/** The most rules kept: each evaluation reads them all, every 15 s. */
export const maxAlertRules = 500;

/** What the threshold means, per kind: the comparison and its unit. */
export const kindText: Record<TAlertKind, { label: string; above: boolean; unit: string }> = {
  "error-rate": { label: "Error rate above", above: true, unit: "%" },
  p99: { label: "p99 latency above", above: true, unit: "ms" },
  "request-rate": { label: "Request rate below", above: false, unit: "req/s" },
  instances: { label: "Instances taking traffic below", above: false, unit: "instances" },
  "burn-rate": { label: "SLO burn rate above", above: true, unit: "×" },
};

const exactUnits: [size: number, prom: string, text: string][] = [
  [day, "d", " d"],
  [hour, "h", " h"],
  [minute, "m", " min"],
  [1000, "s", " s"],
];

/** The largest unit that divides the duration: "5m" as PromQL writes it (`prom`), or "5 min" to read. */
export function exactDuration(ms: number, { prom = false }: { prom?: boolean } = {}): string {
  for (const [size, promUnit, textUnit] of exactUnits) if (ms >= size && ms % size === 0) return `${ms / size}${prom ? promUnit : textUnit}`;
  return prom ? `${ms}ms` : `${ms} ms`;
}

const ZWindowOf = (allowed: readonly number[]) =>
  ZDuration.refine((ms) => allowed.includes(ms), `must be one of ${allowed.map((ms) => exactDuration(ms)).join(", ")}`);

export const ZAlertName = z
  .string()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "may hold only letters, digits and '_', starting with a letter (a Prometheus alertname)");

export const ZAlertTag = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:=/-]*$/, "may hold only letters, digits and '.', '_', ':', '=', '/', '-'");

/** A rule as it is created or replaced. Durations take "5m", "1h" or milliseconds; the threshold is in the kind's unit. */
export const ZAlertRule = z
  .strictObject({
    name: ZAlertName,
    service: ZServiceName.optional(),
    tag: ZAlertTag.optional(),
    kind: z.enum(alertKinds, { error: `must be one of ${alertKinds.join(", ")}` }),
    threshold: z.number({ error: "must be a number" }).finite().min(0, "must be 0 or more").max(1_000_000, "must be at most 1000000"),
    window: ZDuration.default(5 * minute),
    for: ZDuration.pipe(z.number().max(hour, "must be at most 1h")).default(0),
    objective: z.number({ error: "must be a number" }).min(50, "must be at least 50 (%)").max(99.999, "must be at most 99.999 (%)").optional(),
    sloWindow: ZWindowOf(sloWindows).optional(),
    severity: z.enum(alertSeverities, { error: `must be one of ${alertSeverities.join(", ")}` }).default("warning"),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if ((rule.service === undefined) === (rule.tag === undefined)) issue("service", "give either a service or a tag");
    const windows = rule.kind === "burn-rate" ? burnWindows : signalWindows;
    if (!(windows as readonly number[]).includes(rule.window)) issue("window", `must be one of ${windows.map((ms) => exactDuration(ms)).join(", ")}`);
    if (rule.kind === "error-rate" && rule.threshold > 100) issue("threshold", "an error rate is at most 100 (%)");
    if (rule.kind === "instances" && !Number.isInteger(rule.threshold)) issue("threshold", "must be a whole number of instances");
    if (rule.kind === "burn-rate") {
      if (rule.objective === undefined) issue("objective", "a burn-rate rule needs an objective (99.9 for 99.9 %)");
      if (rule.sloWindow === undefined) issue("sloWindow", "a burn-rate rule needs the objective's window (30d)");
      if (rule.threshold < 1 && rule.threshold !== 0) issue("threshold", "a burn rate below 1× never uses up the budget");
    } else if (rule.objective !== undefined || rule.sloWindow !== undefined) {
      issue("objective", "only burn-rate rules take an objective");
    }
  });
export type TAlertRuleInput = z.input<typeof ZAlertRule>;
export type TAlertRuleFields = z.output<typeof ZAlertRule>;

/** A rule as stored and shown. */
export type TAlertRule = {
  id: string;
  name: string;
  service: string | null;
  tag: string | null;
  kind: TAlertKind;
  threshold: number;
  windowMs: number;
  forMs: number;
  objective: number | null;
  sloWindowMs: number | null;
  severity: TAlertSeverity;
  enabled: boolean;
};

/** "error rate above 5 % over 5 min for 2 min", one line for lists, annotations and markers. */
export function describeRule(rule: Pick<TAlertRule, "kind" | "threshold" | "windowMs" | "forMs" | "objective" | "sloWindowMs">): string {
  const { label, unit } = kindText[rule.kind];
  const hold = rule.forMs > 0 ? ` for ${exactDuration(rule.forMs)}` : "";
  if (rule.kind === "burn-rate") {
    const long = exactDuration(rule.windowMs);
    const short = exactDuration(shortWindowOf(rule.windowMs));
    return `${label} ${rule.threshold}× of ${rule.objective ?? "?"} % over ${exactDuration(rule.sloWindowMs ?? 0)} (${long} and ${short} windows)${hold}`;
  }
  const over = rule.kind === "instances" ? "" : ` over ${exactDuration(rule.windowMs)}`;
  return `${label} ${rule.threshold}${unit === "%" ? " %" : ` ${unit}`}${over}${hold}`;
}

/** A rule's value as read, in its kind's unit: "7.2 %", "412 ms", "0.3 req/s", "1 instances", "15.1×". */
export function formatAlertValue(kind: TAlertKind, value: number | null): string {
  if (value === null) return "not measured";
  const { unit } = kindText[kind];
  const shown = kind === "instances" ? String(value) : Number.isFinite(value) ? String(Number(value.toPrecision(3))) : "∞";
  return unit === "×" ? `${shown}×` : `${shown} ${unit}`;
}
