import "server-only";
import { db } from "@/lib/db";
import { describeChange, isRecord } from "@/lib/audit/describe-change";
import type { TFailoverKind } from "@/lib/db/codecs";
import { formatShare, type TTakeover } from "@/lib/health/takeover";
import type { TChartSeriesOf, TTimelineMarker } from "../views";

/** Markers per chart (health, failover and operator changes): a flapping fleet over 7 d keeps its newest changes, and the page stays light. */
export const chartMarkerCap = 200;

const healthTones: Record<string, TTimelineMarker["tone"]> = { critical: "critical", warning: "warning", flapping: "warning", passing: "ok" };
const failoverTones: Record<TFailoverKind, TTimelineMarker["tone"]> = {
  failover: "critical",
  outage: "critical",
  recovery: "ok",
  "outage-end": "ok",
  maintenance: "maintenance",
  retired: "info",
};

/** "payments-1 takes 100%", or "a 50%, b 50% take over"; a long list names the first three. */
function describeTakeover(shares: TTakeover, beyond = 0): string {
  const [only] = shares;
  if (!only) return "no instance takes traffic";
  if (shares.length === 1 && beyond === 0) return `${only.id} takes ${formatShare(only.share)}`;
  const named = shares.slice(0, 3).map(({ id, share }) => `${id} ${formatShare(share)}`);
  const rest = shares.length - named.length + beyond;
  const more = rest > 0 ? ` and ${rest} more` : "";
  return `${named.join(", ")}${more} take over`;
}

type TFailoverRow = {
  at: Date;
  kind: TFailoverKind;
  service: string;
  instanceId: string | null;
  takeover: TTakeover;
  takeoverMore: number;
  leftCount: number;
  joinedCount: number;
};

function failoverLabel({ kind, service, instanceId, takeover, takeoverMore, leftCount, joinedCount }: TFailoverRow): string {
  // A mass change names no instance: it counts them.
  const out = instanceId ?? `${leftCount} instances`;
  const back = instanceId ?? `${joinedCount} instances`;
  if (kind === "failover") return `failover: ${out} out, ${describeTakeover(takeover, takeoverMore)}`;
  if (kind === "recovery") return `recovery: ${back} back, ${describeTakeover(takeover, takeoverMore)}`;
  if (kind === "outage") return `outage: no ${service} instance can take traffic`;
  if (kind === "maintenance") return leftCount > 0 ? `maintenance: ${out} out, ${describeTakeover(takeover, takeoverMore)}` : `maintenance over: ${back} back`;
  if (kind === "retired") return `retired: ${service} left the catalog`;
  return `outage over: ${describeTakeover(takeover, takeoverMore)}`;
}

type TAuditRow = { actorName: string; action: string; target: string; before: unknown; after: unknown; reason: string | null };

/** "ops@example.com: orders-1 weight 100 → 0, until 14:05 UTC (canary off)": what changed, by whom and why. */
function operatorLabel({ actorName, action, target, before, after, reason }: TAuditRow): string {
  const { expiresAt, ...rest } = isRecord(after) ? after : {};
  const lines = describeChange({ before, after: isRecord(after) || after === null ? rest : after });
  const moved = lines.filter((line) => line.key !== "expiresAt").map((line) => `${line.key ?? ""} ${line.before ?? "none"} → ${line.after ?? "none"}`.trim());
  const what = action === "instance.override-expired" ? "override expired" : moved.join(", ") || action;
  const until = typeof expiresAt === "string" ? `, until ${expiresAt.slice(11, 16)} UTC` : "";
  return `${actorName}: ${target.split("/").at(-1)} ${what}${until}${reason ? ` (${reason})` : ""}`;
}

/**
 * Health and failover events to draw on a chart of `service` over [from, to], the newest `chartMarkerCap`, oldest first.
 * An instance's chart gets its own changes and the service's outages; an edge's gets the events of both ends.
 */
export async function listChartMarkers({
  service,
  of,
  from,
  to,
}: {
  service: string;
  of: TChartSeriesOf;
  from: number;
  to: number;
}): Promise<TTimelineMarker[]> {
  const at = { gte: new Date(from), lte: new Date(to) };
  const services = of.scope === "edge" ? [...new Set([of.caller, of.callee])] : [service];
  const instanceOnly = of.scope === "instance" ? { instanceId: of.instanceId } : {};
  const failoverWhere = of.scope === "instance" ? { OR: [{ kind: { in: ["outage", "outage-end"] } }, { instanceId: of.instanceId }] } : {};
  const newest = [{ at: "desc" }, { id: "desc" }] as const satisfies { at?: "desc"; id?: "desc" }[];
  // An instance's chart shows the changes made to it, to its service's policy and to its service's config; the service's chart shows them all.
  const auditWhere =
    of.scope === "instance"
      ? { OR: [{ target: { endsWith: `/${of.instanceId}` } }, { action: { startsWith: "service." } }, { action: { startsWith: "config." } }] }
      : {};
  const [health, failover, changes, alerts] = await Promise.all([
    db.healthEvent.findMany({
      where: { service: { in: services }, ...instanceOnly, at },
      orderBy: [...newest],
      take: chartMarkerCap,
      select: { at: true, service: true, instanceId: true, from: true, to: true },
    }),
    db.failoverEvent.findMany({
      where: { service: { in: services }, ...failoverWhere, at },
      orderBy: [...newest],
      take: chartMarkerCap,
      select: { at: true, kind: true, service: true, instanceId: true, takeover: true, takeoverMore: true, leftCount: true, joinedCount: true },
    }),
    db.auditEvent.findMany({
      where: { service: { in: services }, ...auditWhere, at },
      orderBy: [...newest],
      take: chartMarkerCap,
      select: { at: true, service: true, actorName: true, action: true, target: true, before: true, after: true, reason: true },
    }),
    // An alert firing and resolving (lib/alerts); pending is not drawn.
    db.alertEvent.findMany({
      where: { service: { in: services }, to: { in: ["firing", "resolved"] }, at },
      orderBy: [...newest],
      take: chartMarkerCap,
      select: { at: true, service: true, rule: true, to: true, summary: true },
    }),
  ]);
  // On an edge's chart two services' events mix: say whose each one is.
  const prefix = (name: string) => (of.scope === "edge" ? `${name}: ` : "");
  const markers: TTimelineMarker[] = [
    ...health.map((row) => ({
      at: row.at.getTime(),
      kind: "health" as const,
      tone: healthTones[row.to] ?? "info",
      instanceId: row.instanceId,
      label: prefix(row.service) + (row.to === "flapping" ? `${row.instanceId} flapping` : `${row.instanceId} ${row.from} → ${row.to}`),
    })),
    ...failover.map((row) => ({
      at: row.at.getTime(),
      kind: row.kind,
      tone: failoverTones[row.kind],
      instanceId: row.instanceId,
      label: prefix(row.service) + failoverLabel(row),
    })),
    ...changes.map((row) => ({
      at: row.at.getTime(),
      kind: "operator" as const,
      tone: "info" as const,
      instanceId: row.target.startsWith("instance/") ? (row.target.split("/").at(-1) ?? null) : null,
      label: prefix(row.service ?? "") + operatorLabel(row),
    })),
    ...alerts.map((row) => ({
      at: row.at.getTime(),
      kind: "alert" as const,
      tone: row.to === "firing" ? ("critical" as const) : ("ok" as const),
      instanceId: null,
      label: `${prefix(row.service)}alert ${row.rule} ${row.to}: ${row.summary}`,
    })),
  ];
  return markers
    .sort((a, b) => b.at - a.at)
    .slice(0, chartMarkerCap)
    .reverse();
}
