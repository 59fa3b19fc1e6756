import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ZServiceName } from "@/lib/registry/schemas";

// Filters of the audit page, GET /api/v1/audit and its CSV export. Pure: the browser uses the types.

export const auditPageSize = 50;
const day = 86_400_000;

/** A page boundary: the time and id of the last event shown, newest first (the events list's format). */
export type TAuditCursor = { at: Date; id: string };

export function encodeAuditCursor({ at, id }: TAuditCursor): string {
  return `${at.getTime()}_${id}`;
}

const ZCursor = z
  .string()
  .regex(/^\d{1,15}_[A-Za-z0-9-]{1,64}$/, "must be a cursor from a previous page's nextCursor")
  .transform((value): TAuditCursor => {
    const [at = "0", id = ""] = value.split("_");
    return { at: new Date(Number(at)), id };
  });

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
  user: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
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
    limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1-200").max(200, "must be 1-200").default(auditPageSize),
  })
  .superRefine(checkRange);

export type TAuditQuery = { filters: TAuditFilters; cursor?: TAuditCursor; limit: number };

// A parameter given twice is refused rather than silently picked; an empty one counts as not given.
function toEntries(params: URLSearchParams): Record<string, string> {
  const entries: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) throw new AppError("validation_failed", `${key}: must be given once`, key);
    seen.add(key);
    if (value !== "") entries[key] = value;
  }
  return entries;
}

export function parseAuditFilters(params: URLSearchParams): TAuditFilters {
  return ZAuditFilters.parse(toEntries(params));
}

export function parseAuditQuery(params: URLSearchParams): TAuditQuery {
  const { cursor, limit, ...filters } = ZAuditQuery.parse(toEntries(params));
  return { filters, cursor, limit };
}

/** The filters (and page) as the URL, the API and the export read them, with only what was valid kept. */
export function toAuditSearch({ filters, cursor, limit = auditPageSize }: Partial<TAuditQuery> & { filters: TAuditFilters }): string {
  const params = new URLSearchParams();
  if (filters.user) params.set("user", filters.user);
  if (filters.service) params.set("service", filters.service);
  if (filters.action) params.set("action", filters.action.value);
  if (filters.from) params.set("from", filters.from.toISOString());
  if (filters.to) params.set("to", filters.to.toISOString());
  if (cursor) params.set("cursor", encodeAuditCursor(cursor));
  if (limit !== auditPageSize) params.set("limit", String(limit));
  return params.toString();
}
