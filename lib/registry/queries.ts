import "server-only";
import { takesTraffic, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getLastBeatAt } from "./beat-state";

const instanceSelect = {
  id: true,
  instanceId: true,
  source: true,
  host: true,
  port: true,
  weight: true,
  enabled: true,
  weightOverride: true,
  enabledOverride: true,
  tags: true,
  metadata: true,
  checkKind: true,
  checkPath: true,
  checkIntervalMs: true,
  checkTimeoutMs: true,
  checkTtlMs: true,
  health: true,
  healthOutput: true,
  healthChangedAt: true,
  lastHeartbeatAt: true,
  registeredAt: true,
  modifyIndex: true,
  metricsPath: true,
  metricsPort: true,
  lastScrapeAt: true,
  scrapeError: true,
  scrapeMs: true,
} as const;

type TInstanceRow = Awaited<ReturnType<typeof db.instance.findMany<{ select: typeof instanceSelect }>>>[number];

// When each stale source went stale, for marking its instances (sources write it; discovery only reads it).
async function getStaleSources(): Promise<Map<string, string>> {
  const rows = await db.source.findMany({ where: { staleSince: { not: null } }, select: { name: true, staleSince: true } });
  return new Map(rows.map((row) => [row.name, row.staleSince!.toISOString()]));
}

type TCheckView =
  | { kind: "ttl"; ttlMs: number }
  | { kind: "http" | "tcp"; path: string | null; intervalMs: number; timeoutMs: number }
  // An instance of etcd or ZooKeeper: its lease (or session) there is its check.
  | { kind: "source"; source: string };

function checkView(row: TInstanceRow): TCheckView {
  if (row.checkKind === "ttl") return { kind: "ttl", ttlMs: row.checkTtlMs };
  if (row.checkKind === "source") return { kind: "source", source: row.source };
  return { kind: row.checkKind, path: row.checkPath, intervalMs: row.checkIntervalMs, timeoutMs: row.checkTimeoutMs };
}

// What the API and the pages show of an instance: overrides applied, and the
// freshest heartbeat this process knows of.
function toInstanceView(row: TInstanceRow) {
  const traffic = trafficState(row);
  const { weight, enabled } = traffic;
  const lastBeat = row.source === "builtin" ? getLastBeatAt(row.instanceId) : undefined;
  const lastHeartbeatAt = Math.max(lastBeat ?? 0, row.lastHeartbeatAt?.getTime() ?? 0);
  return {
    id: row.instanceId,
    source: row.source,
    host: row.host,
    port: row.port,
    address: `${row.host}:${row.port}`,
    weight,
    enabled,
    registeredWeight: row.weight,
    registeredEnabled: row.enabled,
    overridden: row.weightOverride !== null || row.enabledOverride !== null,
    tags: row.tags,
    metadata: row.metadata,
    check: checkView(row),
    health: row.health,
    healthOutput: row.healthOutput,
    healthChangedAt: row.healthChangedAt.toISOString(),
    lastHeartbeatAt: lastHeartbeatAt > 0 ? new Date(lastHeartbeatAt).toISOString() : null,
    registeredAt: row.registeredAt.toISOString(),
    takesTraffic: takesTraffic(traffic),
    metrics: row.metricsPath === null ? null : { path: row.metricsPath, port: row.metricsPort ?? row.port },
    scrape: row.lastScrapeAt ? { at: row.lastScrapeAt.toISOString(), error: row.scrapeError, durationMs: row.scrapeMs } : null,
  };
}

export type TInstanceView = ReturnType<typeof toInstanceView>;

export function countHealth(instances: { health: string }[]) {
  const counts = { total: instances.length, passing: 0, warning: 0, critical: 0, unknown: 0 };
  for (const { health } of instances) {
    if (health in counts) counts[health as "passing" | "warning" | "critical" | "unknown"] += 1;
  }
  return counts;
}

export async function listServices() {
  const services = await db.service.findMany({
    orderBy: { name: "asc" },
    select: { name: true, source: true, modifyIndex: true, instances: { select: { health: true, tags: true } } },
  });
  return services.map((service) => ({
    name: service.name,
    source: service.source,
    modifyIndex: service.modifyIndex,
    instances: countHealth(service.instances),
    tags: [...new Set(service.instances.flatMap((instance) => instance.tags))].sort(),
  }));
}

export type TServiceSummary = Awaited<ReturnType<typeof listServices>>[number];

export async function getServiceOrThrow({ name }: { name: string }) {
  const service = await db.service.findUnique({
    where: { name },
    select: {
      name: true,
      source: true,
      modifyIndex: true,
      createdAt: true,
      policy: true,
      hashHeader: true,
      protectionThreshold: true,
      governanceVersion: true,
      instances: { select: instanceSelect, orderBy: { instanceId: "asc" } },
    },
  });
  if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
  const overrides = await db.instanceOverride.findMany({
    where: { OR: service.instances.map((row) => ({ source: row.source, instanceId: row.instanceId })) },
    select: { source: true, instanceId: true, version: true, expiresAt: true, revert: true, reason: true, updatedBy: true, updatedAt: true },
  });
  const overrideOf = new Map(overrides.map((row) => [`${row.source}/${row.instanceId}`, row]));
  const stale = await getStaleSources();
  const instances = service.instances.map((row) => {
    const override = overrideOf.get(`${row.source}/${row.instanceId}`);
    return {
      ...toInstanceView(row),
      // Its source does not answer: this is the last state Meshdeck saw, since then.
      staleSince: stale.get(row.source) ?? null,
      // The operator's last change: its version is what a change from this page must still find (else a conflict).
      override: {
        version: override?.version ?? 0,
        expiresAt: override?.expiresAt?.toISOString() ?? null,
        revert: override?.revert ?? null,
        reason: override?.reason ?? null,
        by: override?.updatedBy ?? null,
        at: override?.updatedAt.toISOString() ?? null,
      },
    };
  });
  return {
    name: service.name,
    source: service.source,
    modifyIndex: service.modifyIndex,
    createdAt: service.createdAt.toISOString(),
    policy: service.policy,
    hashHeader: service.hashHeader,
    protectionThreshold: service.protectionThreshold,
    governanceVersion: service.governanceVersion,
    counts: countHealth(instances),
    instances,
  };
}

export type TServiceDetail = Awaited<ReturnType<typeof getServiceOrThrow>>;

/** One instance of the built-in registry as the API shows it (as in its service's detail), or a 404. */
export async function getInstanceView({ instanceId, source = "builtin" }: { instanceId: string; source?: string }) {
  const row = await db.instance.findUnique({ where: { source_instanceId: { source, instanceId } }, select: instanceSelect });
  if (!row) throw new AppError("not_found", `instance '${instanceId}' is not registered`, "id");
  const [override, staleSource] = await Promise.all([
    db.instanceOverride.findUnique({
      where: { source_instanceId: { source, instanceId } },
      select: { version: true, expiresAt: true, revert: true, reason: true, updatedBy: true, updatedAt: true },
    }),
    db.source.findUnique({ where: { name: row.source }, select: { staleSince: true } }),
  ]);
  return {
    ...toInstanceView(row),
    staleSince: staleSource?.staleSince?.toISOString() ?? null,
    override: {
      version: override?.version ?? 0,
      expiresAt: override?.expiresAt?.toISOString() ?? null,
      revert: override?.revert ?? null,
      reason: override?.reason ?? null,
      by: override?.updatedBy ?? null,
      at: override?.updatedAt.toISOString() ?? null,
    },
  };
}

export async function getOverview() {
  const [services, instances, recentEvents] = await Promise.all([
    db.service.count(),
    db.instance.findMany({ select: { health: true, enabled: true, enabledOverride: true } }),
    db.healthEvent.findMany({ orderBy: { at: "desc" }, take: 8 }),
  ]);
  return {
    services,
    instances: countHealth(instances),
    drained: instances.filter((instance) => !(instance.enabledOverride ?? instance.enabled)).length,
    recentEvents: recentEvents.map((event) => ({ ...event, at: event.at.toISOString() })),
  };
}

export type TOverview = Awaited<ReturnType<typeof getOverview>>;
