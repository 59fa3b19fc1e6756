import { z } from "zod";

// The names are the vocabulary of DESIGN.md: stored per service, shown in the UI, read by the gateway.
export const BALANCING_POLICIES = ["round-robin", "weighted-round-robin", "random", "least-connections", "p2c", "consistent-hash"] as const;

export const ZBalancingPolicy = z.enum(BALANCING_POLICIES, { error: `must be one of ${BALANCING_POLICIES.join(", ")}` });
export type TBalancingPolicy = z.infer<typeof ZBalancingPolicy>;

// consistent-hash reads its key from this request header; lower-cased because HTTP header names are case-insensitive.
export const ZHashKey = z.object({
  header: z
    .string()
    .min(1, "must not be empty")
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be an HTTP header name")
    .transform((name) => name.toLowerCase()),
});
export type THashKey = z.infer<typeof ZHashKey>;
