import type { THealth } from "./health";

// One instance's active-check health, decided from probe results alone: no clock, no I/O, so the
// collector, tests and benchmarks drive it with whatever times they like.

export type TProbeStatus = "pass" | "warn" | "fail";

export type THealthMachine = {
  health: THealth;
  rise: number;
  fall: number;
  /** Consecutive answers (pass or warn) and consecutive failures, as HAProxy counts them. */
  okStreak: number;
  failStreak: number;
  /** When the last answer (pass or warn) came: detection time counts from here. */
  lastOkAt: number | null;
  /** When each recent change was decided, newest last, pruned to the flapping window. */
  changes: number[];
  flapping: boolean;
};

export type THealthDecision =
  | { type: "transition"; from: THealth; to: THealth; detectionMs?: number }
  | { type: "flapping-start"; health: THealth; changes: number }
  | { type: "flapping-end"; health: THealth; changes: number };

// Nagios-style hysteresis: more than 5 changes in a minute is flapping (a 1 s check that fails
// every few seconds), and it calms only at 2 or fewer, so the flag itself does not flap.
export const flapWindowMs = 60_000;
export const flapStartAbove = 5;
export const flapEndAtMost = 2;

export function createHealthMachine({
  rise,
  fall,
  health = "unknown",
  lastOkAt = null,
  flapping = false,
}: {
  rise: number;
  fall: number;
  health?: THealth;
  lastOkAt?: number | null;
  flapping?: boolean;
}): THealthMachine {
  return { health, rise, fall, okStreak: 0, failStreak: 0, lastOkAt, changes: [], flapping };
}

// The health a streak of results asks for, or null when the current health stands.
function target(machine: THealthMachine, status: TProbeStatus): THealth | null {
  const { health } = machine;
  if (status === "fail") return machine.failStreak >= machine.fall && health !== "critical" ? "critical" : null;
  const wanted: THealth = status === "pass" ? "passing" : "warning";
  if (wanted === health) return null;
  // Between passing and warning the instance answers all along: no streak needed.
  if (health === "passing" || health === "warning") return wanted;
  return machine.okStreak >= machine.rise ? wanted : null;
}

/** Feeds one probe result (finished at `at`, ms) and returns the new machine and what to record. */
export function advanceHealth(previous: THealthMachine, { status, at }: { status: TProbeStatus; at: number }) {
  // Changes are kept oldest first: when the oldest is recent, all are, and the list is shared rather than copied.
  const oldest = previous.changes[0];
  const changes = oldest === undefined || at - oldest < flapWindowMs ? previous.changes : previous.changes.filter((t) => at - t < flapWindowMs);
  const machine: THealthMachine = { ...previous, changes };
  const decisions: THealthDecision[] = [];
  if (status === "fail") {
    machine.failStreak += 1;
    machine.okStreak = 0;
  } else {
    machine.okStreak += 1;
    machine.failStreak = 0;
  }
  const to = target(machine, status);
  if (to) {
    const from = machine.health;
    machine.health = to;
    machine.changes = [...machine.changes, at];
    const detectionMs = to === "critical" && machine.lastOkAt !== null ? at - machine.lastOkAt : undefined;
    // While flapping, changes are counted but not written one by one.
    if (!machine.flapping) decisions.push({ type: "transition", from, to, ...(detectionMs === undefined ? {} : { detectionMs }) });
  }
  if (status !== "fail") machine.lastOkAt = at;
  const count = machine.changes.length;
  if (!machine.flapping && count > flapStartAbove) {
    machine.flapping = true;
    decisions.push({ type: "flapping-start", health: machine.health, changes: count });
  } else if (machine.flapping && count <= flapEndAtMost) {
    machine.flapping = false;
    decisions.push({ type: "flapping-end", health: machine.health, changes: count });
  }
  return { machine, decisions };
}
