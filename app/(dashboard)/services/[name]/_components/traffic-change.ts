import type { TInstanceChange } from "@/lib/governance/schemas";

// What the traffic panel offers; its form posts one of these as `mode`.
export const trafficModes = ["weight", "drain", "enable", "reset"] as const;
export type TTrafficMode = (typeof trafficModes)[number];

export function isTrafficMode(mode: string): mode is TTrafficMode {
  return (trafficModes as readonly string[]).includes(mode);
}

/** The change a mode asks for: the panel previews it, the server action applies it. */
export function toChange(mode: TTrafficMode, weight: number): TInstanceChange {
  if (mode === "weight") return { weight };
  if (mode === "reset") return { reset: true };
  return { enabled: mode === "enable" };
}
