import { z } from "zod";
import { ZDuration } from "@/lib/duration";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { ZServiceName } from "@/lib/registry/schemas";
import { plainTextCheck } from "@/lib/plain-text";

const second = 1000;
const defaultWindow = 60 * second;

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
      window: ZDuration.pipe(
        z
          .number()
          .min(10 * second, "must be at least 10s")
          .max(24 * 3_600_000, "must be at most 24h"),
      ).default(defaultWindow),
      q: z.string().max(128, "must be at most 128 characters").check(plainTextCheck()).optional(),
      tag: z.string().max(64, "must be at most 64 characters").check(plainTextCheck()).optional(),
      service: ZServiceName.optional(),
    })
    .strict();
}

export type TTopologyParams = z.output<ReturnType<typeof topologyParamsSchema>>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseTopologyParams(search: URLSearchParams | TSearchParams, now = Date.now()): TTopologyParams {
  return parseSearch(topologyParamsSchema({ now }), search);
}

/** The filters as the URL and the API both read them, with only what was valid kept. */
export function toTopologySearch({ at, window, q, tag, service }: TTopologyParams): string {
  return toSearch({ at: at === undefined ? undefined : String(at), window: window === defaultWindow ? undefined : `${window}ms`, q, tag, service });
}
