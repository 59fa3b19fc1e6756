import { shortWindowOf, type TAlertRule, type TAlertState } from "./rule-schema";

// Whether a rule's condition holds for one service, and how its alert moves between states. Pure: the evaluator,
// the preview and the tests share it.

/** Golden signals of one service over one window; null where nothing was measured. */
export type TWindowReading = { rps: number | null; errorRate: number | null; p99: number | null };

/** What a rule reads about one service: its signals over a window, and how many of its instances take traffic. */
export type TServiceReadings = { over: (windowMs: number) => TWindowReading | null; instances: number | null };

export type TRuleCondition = Pick<TAlertRule, "kind" | "threshold" | "windowMs" | "objective">;

/** How many times faster than the objective allows errors use up the budget: 1× spends it exactly over the window. */
export function burnRate({ errorRate, objective }: { errorRate: number; objective: number }): number {
  const budget = 1 - objective / 100;
  // Rounded to 12 digits: 0.0144 against 99.9 % burns 14.4×, not 14.400000000000002×.
  return budget > 0 ? Number((errorRate / budget).toPrecision(12)) : Infinity;
}

/** The share of the whole budget a burn of `factor` over `windowMs` spends, of an objective over `sloWindowMs`. */
export function budgetSpent({ factor, windowMs, sloWindowMs }: { factor: number; windowMs: number; sloWindowMs: number }): number {
  return (factor * windowMs) / sloWindowMs;
}

/**
 * The rule's value for a service and whether it breaches: the multi-window burn rate (the SRE workbook) fires only
 * when the long window and its twelfth both burn faster than the factor, so it fires fast and stops soon after.
 */
export function evaluateCondition(rule: TRuleCondition, readings: TServiceReadings): { value: number | null; active: boolean } {
  const above = (value: number | null) => ({ value, active: value !== null && value > rule.threshold });
  const below = (value: number | null) => ({ value, active: value !== null && value < rule.threshold });
  const reading = rule.kind === "instances" ? null : readings.over(rule.windowMs);
  switch (rule.kind) {
    case "error-rate":
      return above(reading?.errorRate == null ? null : reading.errorRate * 100);
    case "p99":
      return above(reading?.p99 ?? null);
    case "request-rate":
      return below(reading?.rps ?? null);
    case "instances":
      return below(readings.instances);
    case "burn-rate": {
      const objective = rule.objective ?? 99.9;
      const short = readings.over(shortWindowOf(rule.windowMs));
      if (reading?.errorRate == null || short?.errorRate == null) return { value: null, active: false };
      // Both must burn faster than the factor: the slower of the two is the value that decides.
      return above(Math.min(burnRate({ errorRate: reading.errorRate, objective }), burnRate({ errorRate: short.errorRate, objective })));
    }
  }
}

/** An alert that is not inactive, as stored. */
export type TStoredAlert = { state: Exclude<TAlertState, "inactive">; activeAt: number; changedAt: number };

/**
 * The next state: a condition that starts to hold makes the alert pending, firing once it held `forMs` (at once
 * without one); a firing alert whose condition ends is resolved; a pending one goes back to inactive.
 */
export function nextAlertState({
  current,
  active,
  forMs,
  now,
}: {
  current: TStoredAlert | undefined;
  active: boolean;
  forMs: number;
  now: number;
}): TStoredAlert | { state: "inactive" } {
  const state = current?.state ?? "inactive";
  if (!active)
    return state === "firing" ? { state: "resolved", activeAt: current!.activeAt, changedAt: now } : state === "resolved" ? current! : { state: "inactive" };
  if (state === "firing") return current!;
  const activeAt = state === "pending" ? current!.activeAt : now;
  if (now - activeAt >= forMs) return { state: "firing", activeAt, changedAt: now };
  return state === "pending" ? current! : { state: "pending", activeAt, changedAt: now };
}
