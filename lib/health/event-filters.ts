import { z } from "zod";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { ZServiceName } from "@/lib/registry/schemas";
import { rangedListQuery, rangedListSearch } from "@/lib/time/range";

// FailoverEvent kinds: traffic moving because of a failure, or of maintenance (an operator's drain or weight 0, an
// override expiring), or a service retired at the end of its outage.
export const failoverKinds = ["failover", "recovery", "outage", "outage-end", "maintenance", "retired"] as const;
export type TFailoverKind = (typeof failoverKinds)[number];
/** What a webhook may want: traffic events, and alert rules' changes (lib/alerts). */
export const webhookKinds = [...failoverKinds, "alert"] as const;
export type TWebhookKind = (typeof webhookKinds)[number];
// What a webhook is sent unless it asks for more: failures, never planned maintenance.
export const failureKinds = ["failover", "recovery", "outage", "outage-end"] as const;
// The kinds the events page and GET /api/v1/events know.
export const eventKinds = [...failoverKinds, "flapping", "health"] as const;
export type TEventKind = (typeof eventKinds)[number];

const ZKinds = z.string().transform((value, ctx) => {
  const kinds = value.split(",").filter(Boolean);
  const unknown = kinds.find((kind) => !(eventKinds as readonly string[]).includes(kind));
  if (kinds.length === 0 || unknown !== undefined) {
    ctx.addIssue({ code: "custom", message: `'${unknown ?? value}' is not a kind; use ${eventKinds.join(", ")}, comma separated` });
    return z.NEVER;
  }
  return kinds as TEventKind[];
});

/** Query parameters of GET /api/v1/events (and of the events page's URL). */
export const ZEventFilters = rangedListQuery({ service: ZServiceName.optional(), kind: ZKinds.optional() });

export type TEventFilters = z.output<typeof ZEventFilters>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseEventFilters(search: URLSearchParams | TSearchParams): TEventFilters {
  return parseSearch(ZEventFilters, search);
}

/** The filters as the URL and the API both read them, with only what was valid kept. */
export function toEventSearch(filters: TEventFilters): string {
  return toSearch({
    service: filters.service,
    kind: filters.kind?.join(","),
    ...rangedListSearch(filters),
  });
}
