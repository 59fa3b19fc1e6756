import type { TEdgeSignals } from "@/lib/metrics/views";
import { statusRank, type TObjectives, type TServiceStatus } from "./objectives";

// Pure: a service's status from what the collector read of it. Health decides failing; the signals decide degraded.

export type TStatusInput = {
  objectives: TObjectives;
  /** Its instances: all, enabled (not drained), and critical among the enabled ones. */
  instances: { total: number; enabled: number; critical: number };
  /** An outage of it is open: no instance able to take traffic (lib/incidents). */
  outage: boolean;
  /** Its golden signals over the status window; rps null: nothing measured (no metrics scraped). */
  signals: TEdgeSignals;
  /** Share of passing probes over the window; null: no probe ran. */
  availability: number | null;
};

export type TComputedStatus = { status: TServiceStatus; rank: number; reason: string };

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;
const ms = (value: number) => `${Math.round(value)} ms`;

function computed(status: TServiceStatus, reason: string): TComputedStatus {
  return { status, rank: statusRank[status], reason };
}

/**
 * failing: an outage open, or half or more of its enabled instances critical;
 * degraded: an objective missed, or some instances critical; idle: no instance, or measured with no requests;
 * healthy otherwise (a service whose metrics are not scraped is judged by its checks alone).
 */
export function computeStatus({ objectives, instances, outage, signals, availability }: TStatusInput): TComputedStatus {
  if (instances.total === 0) return computed("idle", "no instance registered");
  if (outage) return computed("failing", "outage: no instance takes traffic");
  if (instances.enabled > 0 && instances.critical * 2 >= instances.enabled) {
    return computed("failing", `${instances.critical} of ${instances.enabled} instances critical`);
  }
  const missed: string[] = [];
  if (signals.errorRate !== null && signals.errorRate > objectives.errorRate) {
    missed.push(`errors ${percent(signals.errorRate)} > ${percent(objectives.errorRate)}`);
  }
  if (signals.p99 !== null && signals.p99 > objectives.p99Ms) missed.push(`p99 ${ms(signals.p99)} > ${ms(objectives.p99Ms)}`);
  if (availability !== null && availability < objectives.availability) {
    missed.push(`availability ${percent(availability)} < ${percent(objectives.availability)}`);
  }
  if (instances.critical > 0) missed.push(`${instances.critical} of ${instances.enabled} instances critical`);
  if (missed.length > 0) return computed("degraded", missed.join("; "));
  if (instances.enabled === 0) return computed("idle", "every instance drained");
  if (signals.rps === 0) return computed("idle", "no requests");
  return computed("healthy", signals.rps === null ? "checks passing; no metrics scraped" : "objectives met");
}
