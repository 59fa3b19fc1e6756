import { z } from "zod";

// A service's objectives: what its signals must stay within to count as healthy. Pure: the service page shows them.

export const serviceStatuses = ["failing", "degraded", "healthy", "idle"] as const;
export type TServiceStatus = (typeof serviceStatuses)[number];

/** Least healthy first: the order the overview and the services list sort by. */
export const statusRank: Record<TServiceStatus, number> = { failing: 0, degraded: 1, healthy: 2, idle: 3 };

export type TObjectives = { errorRate: number; p99Ms: number; availability: number };

/** Under 1 % errors, p99 under 500 ms, 99.5 % of probes passing. */
export const defaultObjectives: TObjectives = { errorRate: 0.01, p99Ms: 500, availability: 0.995 };

/** A service's objectives: its own where an operator set them, the defaults elsewhere. */
export function objectivesOf(service: { errorRateObjective: number | null; p99ObjectiveMs: number | null; availabilityObjective: number | null }): TObjectives {
  return {
    errorRate: service.errorRateObjective ?? defaultObjectives.errorRate,
    p99Ms: service.p99ObjectiveMs ?? defaultObjectives.p99Ms,
    availability: service.availabilityObjective ?? defaultObjectives.availability,
  };
}

// null puts an objective back to its default.
const share = z.number({ error: "must be a number" }).min(0, "must be 0-1").max(1, "must be 0-1").nullable();

/** PUT /api/v1/services/:name/objectives: each objective given is set (null: back to the default); a reason is kept in the audit log. */
export const ZSetServiceObjectives = z
  .object({
    errorRate: share.optional(),
    p99Ms: z.number({ error: "must be a number" }).gt(0, "must be above 0").max(600_000, "must be at most 600000").nullable().optional(),
    availability: share.optional(),
    reason: z.string().trim().max(500, "must be at most 500 characters").optional(),
  })
  .strict()
  .refine((input) => input.errorRate !== undefined || input.p99Ms !== undefined || input.availability !== undefined, {
    message: "give at least one of errorRate, p99Ms, availability",
  });
export type TSetServiceObjectives = z.infer<typeof ZSetServiceObjectives>;
