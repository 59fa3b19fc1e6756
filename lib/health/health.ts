import { z } from "zod";

export const healthStates = ["passing", "warning", "critical", "unknown"] as const;
export const ZHealth = z.enum(healthStates);
export type THealth = z.infer<typeof ZHealth>;

// Instances in these states may take traffic (when enabled and weighted above 0).
export function healthTakesTraffic(health: string): boolean {
  return health === "passing" || health === "warning";
}

/** What decides whether an instance takes traffic, with operator overrides already applied. */
export type TTrafficState = { weight: number; enabled: boolean; health: string };

export function takesTraffic(state: TTrafficState): boolean {
  return state.enabled && state.weight > 0 && healthTakesTraffic(state.health);
}
