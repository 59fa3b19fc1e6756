import { z } from "zod";
import { encodeCursor, pageSize, ZCursor, ZPageLimit, type TCursor } from "@/lib/pagination/cursor";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { ZServiceName } from "@/lib/registry/schemas";
import { plainTextCheck } from "@/lib/plain-text";

// Filters of the audit page, GET /api/v1/audit and its CSV export. Pure: the browser uses the types.

const day = 86_400_000;

const ZIsoDate = z.iso.date();
const ZIsoDateTime = z.iso.datetime({ offset: true });

// A date alone is a whole UTC day: from=2026-01-10 starts at its first millisecond, to=2026-01-10 ends at its last.
function ZTime(bound: "from" | "to") {
  return z.string().transform((value, ctx) => {
    if (ZIsoDate.safeParse(value).success) {
      const start = Date.parse(`${value}T00:00:00.000Z`);
      return new Date(bound === "from" ? start : start + day - 1);
    }
    if (ZIsoDateTime.safeParse(value).success) return new Date(value);
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time with its offset (2026-01-10T12:00:00Z) or a date (2026-01-10)" });
    return z.NEVER;
  });
}

/** An action exactly (`instance.weight`), or every action under a prefix (`instance.` or `instance.*`). */
export type TActionFilter = { value: string; prefix: boolean };

const ZAction = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*(\.|\.\*)?$/, "must be an action (instance.weight) or a prefix ending in '.' (instance.)")
  .transform((value): TActionFilter => {
    if (value.endsWith(".*")) return { value: value.slice(0, -1), prefix: true };
    return { value, prefix: value.endsWith(".") };
  });

const filterShape = {
  // An actor's name or id: a user's, a token's, or a system actor's name such as `meshdeck`.
  user: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").check(plainTextCheck()).optional(),
  service: ZServiceName.optional(),
  action: ZAction.optional(),
  from: ZTime("from").optional(),
  to: ZTime("to").optional(),
};

type TRange = { from?: Date; to?: Date };
function checkRange({ from, to }: TRange, ctx: z.RefinementCtx) {
  if (from && to && from > to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
}

/** Which audit events: the query parameters shared by the page, the list and the export. */
export const ZAuditFilters = z.strictObject(filterShape).superRefine(checkRange);
export type TAuditFilters = z.output<typeof ZAuditFilters>;

/** GET /api/v1/audit (and the page's URL): the filters and a page of them. */
export const ZAuditQuery = z
  .strictObject({
    ...filterShape,
    cursor: ZCursor.optional(),
    limit: ZPageLimit,
  })
  .superRefine(checkRange);

export type TAuditQuery = { filters: TAuditFilters; cursor?: TCursor; limit: number };

export function parseAuditFilters(search: URLSearchParams | TSearchParams): TAuditFilters {
  return parseSearch(ZAuditFilters, search);
}

export function parseAuditQuery(search: URLSearchParams | TSearchParams): TAuditQuery {
  const { cursor, limit, ...filters } = parseSearch(ZAuditQuery, search);
  return { filters, cursor, limit };
}

/** The filters (and page) as the URL, the API and the export read them, with only what was valid kept. */
export function toAuditSearch({ filters, cursor, limit = pageSize }: Partial<TAuditQuery> & { filters: TAuditFilters }): string {
  return toSearch({
    user: filters.user,
    service: filters.service,
    action: filters.action?.value,
    from: filters.from?.toISOString(),
    to: filters.to?.toISOString(),
    cursor: cursor && encodeCursor(cursor),
    limit: limit === pageSize ? undefined : String(limit),
  });
}
