import { z } from "zod";
import { ZDuration } from "@/lib/duration";
import { AppError } from "@/lib/errors";
import { ZServiceName } from "@/lib/registry/schemas";

const second = 1000;

// An ISO 8601 time or milliseconds since the epoch, as links and scripts write it.
const ZMoment = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time such as 2030-01-10T12:00:00Z or milliseconds since the epoch" });
    return z.NEVER;
  }
  return ms;
});

/** Query parameters of GET /api/v1/topology (and of the topology page's URL). */
export function topologyParamsSchema({ now }: { now: number }) {
  return z
    .object({
      at: ZMoment.pipe(z.number().max(now, "must not be in the future")).optional(),
      window: ZDuration.pipe(z.number().min(10 * second, "must be at least 10s").max(24 * 3_600_000, "must be at most 24h")).default(60 * second),
      q: z.string().max(128, "must be at most 128 characters").optional(),
      tag: z.string().max(64, "must be at most 64 characters").optional(),
      service: ZServiceName.optional(),
    })
    .strict();
}

export type TTopologyParams = z.output<ReturnType<typeof topologyParamsSchema>>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseTopologyParams(params: URLSearchParams, now = Date.now()): TTopologyParams {
  const entries: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in entries) throw new AppError("validation_failed", `${key}: must be given once`, key);
    if (value !== "") entries[key] = value;
  }
  return topologyParamsSchema({ now }).parse(entries);
}
