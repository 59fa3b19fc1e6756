import "server-only";
import type { Tx } from "@/lib/db";
import { encodeTakeover, type TFailoverKind } from "@/lib/db/codecs";
import { enqueueWebhookDeliveries } from "@/lib/notify/enqueue-webhook-deliveries";
import { takesTraffic, trafficSelect, trafficState, type TTrafficState } from "./traffic-state";

export type TShare = { id: string; weight: number; share: number };

/** Each instance's share of the traffic, by weight, among those that take traffic. */
export function trafficShares(members: (TTrafficState & { id: string })[]): TShare[] {
  const live = members.filter(takesTraffic);
  const total = live.reduce((sum, member) => sum + member.weight, 0);
  return live.map(({ id, weight }) => ({ id, weight, share: weight / total }));
}

async function loadMembers(tx: Tx, serviceId: string, exceptId: string) {
  const rows = await tx.instance.findMany({
    where: { serviceId, NOT: { instanceId: exceptId } },
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
};

/**
 * Writes the traffic story of one instance's change, inside the transaction that made it: a
 * failover when it leaves the set that takes traffic, a recovery when it rejoins, an outage when
 * its service is left with none, and the outage's end.
 */
export async function recordTrafficChange(tx: Tx, { serviceId, service, instanceId, before, after, reason, detectionMs, at = new Date() }: TTrafficChange) {
  const wasIn = before !== null && takesTraffic(before);
  const isIn = after !== null && takesTraffic(after);
  if (wasIn === isIn) return [];
  const others = await loadMembers(tx, serviceId, instanceId);
  const othersTakingTraffic = others.some(takesTraffic);
  const events: { kind: TFailoverKind; instanceId: string | null; reason: string; takeover: TShare[]; detectionMs?: number }[] = [];
  if (wasIn) {
    events.push({ kind: "failover", instanceId, reason, detectionMs, takeover: trafficShares(others) });
    if (!othersTakingTraffic)
      events.push({ kind: "outage", instanceId: null, reason: `no instance of ${service} can take traffic: ${instanceId} ${reason}`, takeover: [] });
  } else {
    const members = [...others, { id: instanceId, ...after! }];
    // A new instance joining (or passing its first checks) is not a recovery; it can still end an outage.
    if (before !== null && before.health !== "unknown") events.push({ kind: "recovery", instanceId, reason, takeover: trafficShares(members) });
    if (!othersTakingTraffic && (await hasOpenOutage(tx, service)))
      events.push({ kind: "outage-end", instanceId: null, reason: `${instanceId} takes traffic again: ${reason}`, takeover: trafficShares(members) });
  }
  const created = [];
  for (const event of events) {
    const row = await tx.failoverEvent.create({
      data: {
        kind: event.kind,
        service,
        instanceId: event.instanceId,
        reason: event.reason,
        detectionMs: event.detectionMs === undefined ? null : Math.round(event.detectionMs),
        takeover: encodeTakeover(event.takeover),
        at,
      },
    });
    await enqueueWebhookDeliveries(tx, { eventId: row.id, kind: row.kind });
    created.push(row);
  }
  return created;
}
