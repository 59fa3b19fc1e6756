import { z } from "zod";

export const healthStates = ["passing", "warning", "critical", "unknown"] as const;
export const ZHealth = z.enum(healthStates);
export type THealth = z.infer<typeof ZHealth>;

// Instances in these states may take traffic (when enabled and weighted above 0).
export function healthTakesTraffic(health: string): boolean {
  return health === "passing" || health === "warning";
}
