/** What decides whether an instance takes traffic, with operator overrides already applied. */
export type TTrafficState = { weight: number; enabled: boolean; health: string };

// Instances in these states may take traffic (when enabled and weighted above 0).
const trafficHealths = ["passing", "warning"];

function healthTakesTraffic(health: string): boolean {
  return trafficHealths.includes(health);
}

export function takesTraffic(state: TTrafficState): boolean {
  return state.enabled && state.weight > 0 && healthTakesTraffic(state.health);
}

// The columns that decide whether an instance takes traffic, and their reading with overrides applied.
export const trafficSelect = { health: true, weight: true, weightOverride: true, enabled: true, enabledOverride: true } as const;

export function trafficState(row: {
  health: string;
  weight: number;
  weightOverride: number | null;
  enabled: boolean;
  enabledOverride: boolean | null;
}): TTrafficState {
  return { health: row.health, weight: row.weightOverride ?? row.weight, enabled: row.enabledOverride ?? row.enabled };
}

// The same readings as Prisma where clauses, to count and select instances in SQL without loading them.

/** Instances enabled (true) or drained (false), overrides applied. */
export function enabledWhere(enabled: boolean) {
  return { OR: [{ enabledOverride: enabled }, { enabledOverride: null, enabled }] };
}

/** Instances that take traffic, as `takesTraffic` decides it, in SQL (PostgreSQL and SQLite alike). */
export const takesTrafficSql = `"health" IN (${trafficHealths.map((health) => `'${health}'`).join(", ")}) AND COALESCE("enabledOverride", "enabled") AND COALESCE("weightOverride", "weight") > 0`;

/** Instances that take traffic, as `takesTraffic` decides it. */
export const takesTrafficWhere = {
  AND: [enabledWhere(true), { OR: [{ weightOverride: { gt: 0 } }, { weightOverride: null, weight: { gt: 0 } }] }, { health: { in: trafficHealths } }],
};
