import "server-only";
import { takesTraffic, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { getLastBeatAt } from "./beat-state";

// An instance as the API, the pages and discovery show it: the columns they read and the view made of them.

export const instanceSelect = {
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
  protocol: true,
  metricsPath: true,
  metricsPort: true,
  lastScrapeAt: true,
  scrapeError: true,
  scrapeMs: true,
} as const;

export type TInstanceRow = Awaited<ReturnType<typeof db.instance.findMany<{ select: typeof instanceSelect }>>>[number];

// When each stale source went stale, for marking its instances (sources write it; discovery only reads it).
export async function getStaleSources(): Promise<Map<string, string>> {
  const rows = await db.source.findMany({ where: { staleSince: { not: null } }, select: { name: true, staleSince: true } });
  return new Map(rows.map((row) => [row.name, row.staleSince!.toISOString()]));
}

type TCheckView =
  | { kind: "ttl"; ttlMs: number }
  | { kind: "http" | "tcp" | "grpc" | "script"; path: string | null; intervalMs: number; timeoutMs: number }
  // An instance of etcd or ZooKeeper: its lease (or session) there is its check.
  | { kind: "source"; source: string };

function checkView(row: TInstanceRow): TCheckView {
  if (row.checkKind === "ttl") return { kind: "ttl", ttlMs: row.checkTtlMs };
  if (row.checkKind === "source") return { kind: "source", source: row.source };
  return { kind: row.checkKind, path: row.checkPath, intervalMs: row.checkIntervalMs, timeoutMs: row.checkTimeoutMs };
}

// What the API and the pages show of an instance: overrides applied, and the
// freshest heartbeat this process knows of.
export function toInstanceView(row: TInstanceRow) {
  const traffic = trafficState(row);
  const { weight, enabled } = traffic;
  const lastBeat = row.source === "builtin" ? getLastBeatAt(row.instanceId) : undefined;
  const lastHeartbeatAt = Math.max(lastBeat ?? 0, row.lastHeartbeatAt?.getTime() ?? 0);
  return {
    id: row.instanceId,
    source: row.source,
    // Which client protocol registered it (meshdeck, consul, eureka, nacos): the pages label the compat ones.
    protocol: row.protocol,
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
