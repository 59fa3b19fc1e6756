import { z } from "zod";
import { ZDuration } from "@/lib/duration";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { ZServiceName } from "@/lib/registry/schemas";
import { plainTextCheck } from "@/lib/plain-text";
import { topologyGroupings } from "../views";
import { maxFocusHops } from "./topology-focus";

const second = 1000;
const defaultWindow = 60 * second;
// Groups opened at once: a screen's worth; each key as long as a namespace or tag may usefully be.
const maxExpanded = 50;

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
      hops: z.coerce
        .number({ error: "must be a number" })
        .int("must be a whole number")
        .min(1, `must be between 1 and ${maxFocusHops}`)
        .max(maxFocusHops, `must be between 1 and ${maxFocusHops}`)
        .optional(),
      group: z.enum(topologyGroupings, { error: `must be one of ${topologyGroupings.join(", ")}` }).optional(),
      // Group keys, comma separated: namespaces, tags or name prefixes.
      expand: z
        .string()
        .max(maxExpanded * 129, "is too long")
        .check(plainTextCheck())
        .transform((value) => [...new Set(value.split(",").map((key) => key.trim()))].filter(Boolean))
        .pipe(z.array(z.string().max(128, "a group key must be at most 128 characters")).max(maxExpanded, `at most ${maxExpanded} groups`))
        .optional(),
    })
    .strict();
}

export type TTopologyParams = z.output<ReturnType<typeof topologyParamsSchema>>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseTopologyParams(search: URLSearchParams | TSearchParams, now = Date.now()): TTopologyParams {
  return parseSearch(topologyParamsSchema({ now }), search);
}

/** The filters as the URL and the API both read them, with only what was valid kept. */
export function toTopologySearch({ at, window, q, tag, service, hops, group, expand }: TTopologyParams): string {
  return toSearch({
    at: at === undefined ? undefined : String(at),
    window: window === defaultWindow ? undefined : `${window}ms`,
    q,
    tag,
    service,
    hops: hops === undefined ? undefined : String(hops),
    group,
    expand: expand?.length ? expand.join(",") : undefined,
  });
}
