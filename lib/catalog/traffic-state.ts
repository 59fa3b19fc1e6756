/** What decides whether an instance takes traffic, with operator overrides already applied. */
export type TTrafficState = { weight: number; enabled: boolean; health: string };

// Instances in these states may take traffic (when enabled and weighted above 0).
function healthTakesTraffic(health: string): boolean {
  return health === "passing" || health === "warning";
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
