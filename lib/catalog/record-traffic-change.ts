import "server-only";
import type { Tx } from "@/lib/db";
import { encodeTakeover, type TFailoverKind } from "@/lib/db/codecs";
import { recordIncident } from "@/lib/incidents/record-incident";
import { enqueueWebhookDeliveries } from "@/lib/notify/enqueue-webhook-deliveries";
import { takesTraffic, trafficSelect, trafficState, type TTrafficState } from "./traffic-state";

export type TShare = { id: string; weight: number; share: number };

/** Each instance's share of the traffic, by weight, among those that take traffic. */
export function trafficShares(members: (TTrafficState & { id: string })[]): TShare[] {
  const live = members.filter(takesTraffic);
  const total = live.reduce((sum, member) => sum + member.weight, 0);
  return live.map(({ id, weight }) => ({ id, weight, share: weight / total }));
}

// An event names at most this many instances that took over (the largest shares) and counts the rest.
export const takeoverCap = 20;

/** The largest shares, at most `takeoverCap`, and how many more instances take traffic besides. */
export function summarizeTakeover(shares: TShare[]): { takeover: TShare[]; more: number } {
  if (shares.length <= takeoverCap) return { takeover: shares, more: 0 };
  const largest = [...shares].sort((a, b) => b.share - a.share).slice(0, takeoverCap);
  return { takeover: largest, more: shares.length - takeoverCap };
}

type TMember = TTrafficState & { id: string };

async function loadMembers(tx: Tx, serviceId: string, exceptId?: string): Promise<TMember[]> {
  const rows = await tx.instance.findMany({
    where: { serviceId, ...(exceptId === undefined ? {} : { NOT: { instanceId: exceptId } }) },
    select: { ...trafficSelect, instanceId: true },
  });
  return rows.map((row) => ({ id: row.instanceId, ...trafficState(row) }));
}

async function hasOpenOutage(tx: Tx, service: string): Promise<boolean> {
  const last = await tx.failoverEvent.findFirst({
    where: { service, kind: { in: ["outage", "outage-end"] } },
    orderBy: { at: "desc" },
    select: { kind: true },
  });
  return last?.kind === "outage";
}

/** One instance's change, as far as traffic goes: `before` is null for a new registration, `after` null for a deregistration. */
export type TTrafficChange = {
  serviceId: string;
  service: string;
  instanceId: string;
  before: TTrafficState | null;
  after: TTrafficState | null;
  reason: string;
  detectionMs?: number;
  at?: Date;
  /** An operator's drain or weight change, or its expiry: maintenance, never a failure. */
  planned?: boolean;
};

type TEvent = {
  kind: TFailoverKind;
  instanceId: string | null;
  reason: string;
  takeover: TShare[];
  detectionMs?: number;
  leftCount?: number;
  joinedCount?: number;
};

async function writeEvents(tx: Tx, service: string, at: Date, events: TEvent[]) {
  const created = [];
  for (const event of events) {
    const { takeover, more } = summarizeTakeover(event.takeover);
    const row = await tx.failoverEvent.create({
      data: {
        kind: event.kind,
        service,
        instanceId: event.instanceId,
        reason: event.reason,
        detectionMs: event.detectionMs === undefined ? null : Math.round(event.detectionMs),
        takeover: encodeTakeover(takeover),
        takeoverMore: more,
        leftCount: event.leftCount ?? 0,
        joinedCount: event.joinedCount ?? 0,
        at,
      },
    });
    await recordIncident(tx, { ...row, at: row.at.getTime() });
    await enqueueWebhookDeliveries(tx, { ...row, eventId: row.id });
    created.push(row);
  }
  return created;
}

const wasIn = (change: TTrafficChange) => change.before !== null && takesTraffic(change.before);
const isIn = (change: TTrafficChange) => change.after !== null && takesTraffic(change.after);
// A new instance joining (or passing its first checks) is not a recovery; it can still end an outage.
const recovers = (change: TTrafficChange) => change.before !== null && change.before.health !== "unknown";

/**
 * Writes the traffic story of one instance's change, inside the transaction that made it: a
 * failover when it leaves the set that takes traffic, a recovery when it rejoins, an outage when
 * its service is left with none, and the outage's end.
 */
export async function recordTrafficChange(
  tx: Tx,
  { serviceId, service, instanceId, before, after, reason, detectionMs, at = new Date(), planned = false }: TTrafficChange,
) {
  const change = { serviceId, service, instanceId, before, after, reason };
  if (wasIn(change) === isIn(change)) return [];
  const others = await loadMembers(tx, serviceId, instanceId);
  const othersTakingTraffic = others.some(takesTraffic);
  const events: TEvent[] = [];
  if (wasIn(change)) {
    events.push({ kind: planned ? "maintenance" : "failover", instanceId, reason, detectionMs, takeover: trafficShares(others), leftCount: 1 });
    if (!othersTakingTraffic)
      events.push({ kind: "outage", instanceId: null, reason: `no instance of ${service} can take traffic: ${instanceId} ${reason}`, takeover: [] });
  } else {
    const members = [...others, { id: instanceId, ...after! }];
    if (planned && before !== null) events.push({ kind: "maintenance", instanceId, reason, takeover: trafficShares(members), joinedCount: 1 });
    else if (recovers(change)) events.push({ kind: "recovery", instanceId, reason, takeover: trafficShares(members), joinedCount: 1 });
    if (!othersTakingTraffic && (await hasOpenOutage(tx, service)))
      events.push({ kind: "outage-end", instanceId: null, reason: `${instanceId} takes traffic again: ${reason}`, takeover: trafficShares(members) });
  }
  return writeEvents(tx, service, at, events);
}

/**
 * A service left the catalog: the end of its story. Its incidents still open end as retired, its outage's and those
 * of instances that left while failing (one indexed update).
 */
export async function recordServiceRetired(tx: Tx, { service, reason, at = new Date() }: { service: string; reason: string; at?: Date }) {
  await tx.incident.updateMany({ where: { service, endedAt: null }, data: { endedAt: at, at, ending: "retired" } });
  return writeEvents(tx, service, at, [{ kind: "retired", instanceId: null, reason, takeover: [] }]);
}

const count = (n: number) => n.toLocaleString("en-US");
const instances = (n: number) => `${count(n)} ${n === 1 ? "instance" : "instances"}`;

/** "lease expired", or "lease expired (and 2 other reasons)" when the changes give several. */
function commonReason(changes: TTrafficChange[]): string {
  const reasons = new Set(changes.map((change) => change.reason));
  const [first] = reasons;
  return reasons.size <= 1 ? (first ?? "") : `${first} (and ${reasons.size - 1} other reasons)`;
}

/**
 * The story of many instances of one service changing in one transaction, told once: one failover event with how
 * many left and joined (or one recovery when none left), the shares of those taking traffic afterwards (bounded),
 * and the outage, or its end, when the service lost or regained all its traffic. Its members are read once.
 */
async function recordMassTrafficChange(tx: Tx, { serviceId, service, changes }: { serviceId: string; service: string; changes: TTrafficChange[] }) {
  const members = await loadMembers(tx, serviceId);
  const changed = new Set(changes.map((change) => change.instanceId));
  const unchanged = members.filter((member) => !changed.has(member.id));
  const afterwards: TMember[] = [...unchanged, ...changes.flatMap((change) => (change.after ? [{ id: change.instanceId, ...change.after }] : []))];
  const servedBefore = unchanged.some(takesTraffic) || changes.some(wasIn);
  const servesNow = afterwards.some(takesTraffic);
  const left = changes.filter((change) => wasIn(change) && !isIn(change));
  const joined = changes.filter((change) => !wasIn(change) && isIn(change));
  const recovered = joined.filter(recovers);
  const at = new Date(changes.reduce((latest, change) => Math.max(latest, change.at?.getTime() ?? Date.now()), 0));
  const detections = left.flatMap((change) => (change.detectionMs === undefined ? [] : [change.detectionMs]));
  const detectionMs = detections.length > 0 ? detections.reduce((a, b) => Math.max(a, b)) : undefined;
  const shares = trafficShares(afterwards);
  // A drain or weight change by selector (or its expiry) is maintenance, told once like any mass change.
  const planned = changes.every((change) => change.planned);
  const events: TEvent[] = [];
  if (left.length > 0) {
    const joining = joined.length > 0 ? `; ${count(joined.length)} joined` : "";
    events.push({
      kind: planned ? "maintenance" : "failover",
      instanceId: left.length === 1 ? left[0]!.instanceId : null,
      reason: `${instances(left.length)} of ${service} left: ${commonReason(left)}${joining}`,
      detectionMs,
      takeover: shares,
      leftCount: left.length,
      joinedCount: joined.length,
    });
  } else if (planned ? joined.length > 0 : recovered.length > 0) {
    events.push({
      kind: planned ? "maintenance" : "recovery",
      instanceId: joined.length === 1 ? joined[0]!.instanceId : null,
      reason: `${instances(joined.length)} of ${service} take traffic again: ${commonReason(joined)}`,
      takeover: shares,
      joinedCount: joined.length,
    });
  }
  if (servedBefore && !servesNow)
    events.push({
      kind: "outage",
      instanceId: null,
      reason: `no instance of ${service} can take traffic: ${instances(left.length)} left (${commonReason(left)})`,
      takeover: [],
    });
  if (!servedBefore && servesNow && (await hasOpenOutage(tx, service)))
    events.push({ kind: "outage-end", instanceId: null, reason: `${instances(joined.length)} take traffic again: ${commonReason(joined)}`, takeover: shares });
  return writeEvents(tx, service, at, events);
}

/** One instance's changes in one transaction as one: its state before the first and after the last. */
function coalesce(changes: TTrafficChange[]): TTrafficChange[] {
  const byInstance = new Map<string, TTrafficChange>();
  for (const change of changes) {
    const first = byInstance.get(change.instanceId);
    byInstance.set(change.instanceId, first ? { ...change, before: first.before } : change);
  }
  return [...byInstance.values()];
}

/**
 * Writes the traffic stories of a transaction's changes, service by service, before it commits: one instance
 * moving in or out of the set taking traffic tells its own story (recordTrafficChange); many tell one together.
 */
export async function recordTrafficChanges(tx: Tx, changes: TTrafficChange[]) {
  const byService = new Map<string, TTrafficChange[]>();
  for (const change of changes) {
    const list = byService.get(change.serviceId);
    if (list) list.push(change);
    else byService.set(change.serviceId, [change]);
  }
  const created = [];
  for (const [serviceId, ofService] of byService) {
    const moved = coalesce(ofService).filter((change) => wasIn(change) !== isIn(change));
    if (moved.length === 0) continue;
    if (moved.length === 1) created.push(...(await recordTrafficChange(tx, moved[0]!)));
    else created.push(...(await recordMassTrafficChange(tx, { serviceId, service: moved[0]!.service, changes: moved })));
  }
  return created;
}
