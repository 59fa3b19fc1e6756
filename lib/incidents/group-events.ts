import type { TFailoverKind } from "@/lib/health/event-filters";

// Pure: which incident a traffic event belongs to and how it changes it. The database side (record-incident.ts)
// reads only the newest incident of the event's key, so grouping costs one indexed read per event, whatever the history.

export const incidentCauses = ["failover", "outage", "maintenance", "flapping"] as const;
export type TIncidentCause = (typeof incidentCauses)[number];
export type TIncidentEnding = "resolved" | "retired";

/** A failure within this long of the incident's last event joins it, as a recurrence, instead of opening another. */
export const incidentWindowMs = 30 * 60_000;
// An incident keeps the start times of its newest recurrences; `count` has them all.
export const incidentTimesCap = 50;

/** A traffic event, or an instance starting (`flapping`) or ceasing (`settled`) to flap. */
export type TGroupedKind = TFailoverKind | "flapping" | "settled";

export type TGroupedEvent = { kind: TGroupedKind; service: string; instanceId: string | null; leftCount: number; at: number; reason: string };

/** The incident as grouping sees it. */
export type TIncidentState = {
  key: string;
  cause: TIncidentCause;
  service: string;
  instanceId: string | null;
  startedAt: number;
  at: number;
  endedAt: number | null;
  ending: TIncidentEnding | null;
  count: number;
  times: number[];
  reason: string;
};

const causeOf: Record<TGroupedKind, TIncidentCause> = {
  failover: "failover",
  recovery: "failover",
  outage: "outage",
  "outage-end": "outage",
  retired: "outage",
  maintenance: "maintenance",
  flapping: "flapping",
  settled: "flapping",
};

/** The event's key and cause, and whether it starts a problem (opens) or ends one. */
export function incidentKeyOf(event: TGroupedEvent): { key: string; cause: TIncidentCause; opens: boolean; ending?: TIncidentEnding } {
  const cause = causeOf[event.kind];
  const key = [cause, event.service, ...(event.instanceId === null ? [] : [event.instanceId])].join("/");
  const opens = event.kind === "failover" || event.kind === "outage" || event.kind === "flapping" || (event.kind === "maintenance" && event.leftCount > 0);
  return { key, cause, opens, ...(opens ? {} : { ending: event.kind === "retired" ? "retired" : "resolved" }) };
}

/**
 * The incident after `event`, given the newest incident of its key (or none): a problem joins an open incident, or
 * one that ended less than `windowMs` before (a recurrence, counted); otherwise it opens a new one. An end closes the
 * open incident, and is nothing on its own. `null`: nothing to write.
 */
export function applyEvent({
  latest,
  event,
  windowMs = incidentWindowMs,
}: {
  latest: TIncidentState | null;
  event: TGroupedEvent;
  windowMs?: number;
}): { incident: TIncidentState; isNew: boolean } | null {
  const { key, cause, opens, ending } = incidentKeyOf(event);
  const open = latest !== null && latest.endedAt === null;
  if (!opens) {
    if (!latest || !open) return null;
    return { incident: { ...latest, at: Math.max(latest.at, event.at), endedAt: event.at, ending: ending ?? "resolved" }, isNew: false };
  }
  if (latest && open) return { incident: { ...latest, at: Math.max(latest.at, event.at), reason: event.reason }, isNew: false };
  if (latest && event.at - latest.at <= windowMs) {
    const times = [...latest.times, event.at].slice(-incidentTimesCap);
    return { incident: { ...latest, at: event.at, endedAt: null, ending: null, count: latest.count + 1, times, reason: event.reason }, isNew: false };
  }
  const incident: TIncidentState = {
    key,
    cause,
    service: event.service,
    instanceId: event.instanceId,
    startedAt: event.at,
    at: event.at,
    endedAt: null,
    ending: null,
    count: 1,
    times: [event.at],
    reason: event.reason,
  };
  return { incident, isNew: true };
}

/** A sequence of events grouped in memory, as the database does it one event at a time: the incidents, oldest first. */
export function groupEvents(events: TGroupedEvent[], windowMs = incidentWindowMs): TIncidentState[] {
  const all: TIncidentState[] = [];
  const newest = new Map<string, number>();
  for (const event of events) {
    const { key } = incidentKeyOf(event);
    const index = newest.get(key);
    const applied = applyEvent({ latest: index === undefined ? null : all[index]!, event, windowMs });
    if (!applied) continue;
    if (applied.isNew) {
      newest.set(key, all.length);
      all.push(applied.incident);
    } else all[index!] = applied.incident;
  }
  return all;
}

export const isRecurring = (incident: { count: number }) => incident.count > 1;
