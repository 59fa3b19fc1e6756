import "server-only";
import type { Tx } from "@/lib/db";
import { encodeTimes } from "@/lib/db/codecs";
import { applyEvent, incidentKeyOf, type TGroupedEvent, type TIncidentState } from "./group-events";

type TIncidentRow = NonNullable<Awaited<ReturnType<Tx["incident"]["findFirst"]>>>;

function toState(row: TIncidentRow): TIncidentState {
  return { ...row, startedAt: row.startedAt.getTime(), at: row.at.getTime(), endedAt: row.endedAt?.getTime() ?? null };
}

/**
 * Groups a traffic event into its incident, in the transaction that writes the event: reads the newest incident of
 * the event's key (one indexed row) and opens, grows or closes it. Never reads the history.
 */
export async function recordIncident(tx: Tx, event: TGroupedEvent, { windowMs }: { windowMs?: number } = {}) {
  const { key } = incidentKeyOf(event);
  const latest = await tx.incident.findFirst({ where: { key }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  const applied = applyEvent({ latest: latest ? toState(latest) : null, event, windowMs });
  if (!applied) return null;
  const { incident } = applied;
  const data = {
    at: new Date(incident.at),
    endedAt: incident.endedAt === null ? null : new Date(incident.endedAt),
    ending: incident.ending,
    count: incident.count,
    times: encodeTimes(incident.times),
    reason: incident.reason,
  };
  if (!applied.isNew && latest) return tx.incident.update({ where: { id: latest.id }, data, select: { id: true } });
  return tx.incident.create({
    data: {
      ...data,
      key: incident.key,
      cause: incident.cause,
      service: incident.service,
      instanceId: incident.instanceId,
      startedAt: new Date(incident.startedAt),
    },
    select: { id: true },
  });
}
