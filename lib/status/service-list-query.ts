import { z } from "zod";
import { plainTextCheck } from "@/lib/plain-text";
import { ZPageLimit, ZPageNumber, pageSize } from "@/lib/pagination/cursor";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { serviceStatuses } from "./objectives";

// The services list's filters, sort and page, as GET /api/v1/services and the Services page's URL share them. Pure.

export const serviceSorts = ["status", "name", "rps", "errors", "p50", "p99"] as const;
export type TServiceSort = (typeof serviceSorts)[number];

export const ZServiceListQuery = z
  .strictObject({
    /** A substring of the service's name. */
    q: z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters").check(plainTextCheck()).optional(),
    status: z.enum(serviceStatuses, { error: `must be one of ${serviceStatuses.join(", ")}` }).optional(),
    tag: z.string().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()).optional(),
    source: z.string().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()).optional(),
    sort: z.enum(serviceSorts, { error: `must be one of ${serviceSorts.join(", ")}` }).default("name"),
    order: z.enum(["asc", "desc"], { error: "must be asc or desc" }).optional(),
    page: ZPageNumber,
    limit: ZPageLimit,
    /** `name`: only the matching names (a picker's answer), no signals or sparklines. */
    fields: z.literal("name", { error: "must be name" }).optional(),
  })
  // Each sort's natural order: names A-Z, the least healthy, busiest, most failing and slowest first.
  .transform(({ order, ...query }) => ({ ...query, order: order ?? (query.sort === "name" || query.sort === "status" ? "asc" : "desc") }));
export type TServiceListQuery = z.output<typeof ZServiceListQuery>;

export function parseServiceListQuery(search: URLSearchParams | TSearchParams): TServiceListQuery {
  return parseSearch(ZServiceListQuery, search);
}

/** The query as the URL and the API read it, defaults left out. */
export function toServiceListSearch(query: Partial<TServiceListQuery>): string {
  const natural = query.sort === undefined || query.sort === "name" || query.sort === "status" ? "asc" : "desc";
  return toSearch({
    q: query.q,
    status: query.status,
    tag: query.tag,
    source: query.source,
    sort: query.sort === "name" ? undefined : query.sort,
    order: query.order === natural ? undefined : query.order,
    page: query.page && query.page > 1 ? String(query.page) : undefined,
    limit: query.limit && query.limit !== pageSize ? String(query.limit) : undefined,
    fields: query.fields,
  });
}
