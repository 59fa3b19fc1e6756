import { z } from "zod";

export const healthStates = ["passing", "warning", "critical", "unknown"] as const;
export const ZHealth = z.enum(healthStates);
export type THealth = z.infer<typeof ZHealth>;
