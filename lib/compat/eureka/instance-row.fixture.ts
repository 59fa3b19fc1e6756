import type { TInstanceRow } from "./eureka-view";

const at = new Date("2026-01-01T00:00:00Z");

/** An instance row as the registry view reads it, for the tests: orders-1, passing, weight 100, a 90 s lease. */
export function instanceRow(change: Partial<TInstanceRow> = {}): TInstanceRow {
  return {
    instanceId: "orders-1",
    host: "10.0.0.7",
    port: 8080,
    metadata: {},
    health: "passing",
    weight: 100,
    weightOverride: null,
    enabled: true,
    enabledOverride: null,
    checkKind: "ttl",
    checkTtlMs: 90_000,
    registeredAt: at,
    updatedAt: at,
    lastHeartbeatAt: null,
    ...change,
  };
}
