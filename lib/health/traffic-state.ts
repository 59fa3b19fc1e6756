import type { TTrafficState } from "./health";

// The columns that decide whether an instance takes traffic, and their reading with overrides applied.
export const trafficSelect = { health: true, weight: true, weightOverride: true, enabled: true, enabledOverride: true } as const;

export function trafficState(row: { health: string; weight: number; weightOverride: number | null; enabled: boolean; enabledOverride: boolean | null }): TTrafficState {
  return { health: row.health, weight: row.weightOverride ?? row.weight, enabled: row.enabledOverride ?? row.enabled };
}
