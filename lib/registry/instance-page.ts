import { z } from "zod";
import { plainTextCheck } from "@/lib/plain-text";
import { healthStates } from "@/lib/health/health";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";

// A page of one service's instances, in instanceId order, with the filters the service page and
// GET /api/v1/services/:name share. Pure: the browser builds its URLs with it.

export const instancePageSize = 100;
export const maxInstancePageSize = 1000;

/** Where a page starts: after this instance (by instanceId, then row id, as one service may hold the same id from two sources). */
export type TInstanceCursor = { instanceId: string; rowId: string };

// base64url of `rowId instanceId`: opaque to clients, and neither part holds a space.
export function encodeInstanceCursor({ instanceId, rowId }: TInstanceCursor): string {
  return btoa(`${rowId} ${instanceId}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The cursor `encodeInstanceCursor` wrote, or null for anything else. */
export function decodeInstanceCursor(value: string): TInstanceCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(value)) return null;
  let text: string;
  try {
    text = atob(value.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const match = /^([A-Za-z0-9_-]{1,64}) ([A-Za-z0-9][A-Za-z0-9._:-]{0,127})$/.exec(text);
  return match?.[1] && match[2] ? { rowId: match[1], instanceId: match[2] } : null;
}

const ZInstanceCursor = z.string().transform((value, ctx): TInstanceCursor => {
  const cursor = decodeInstanceCursor(value);
  if (cursor) return cursor;
  ctx.addIssue({ code: "custom", message: "must be a cursor from a previous page's nextCursor" });
  return z.NEVER;
});

/** Which instances of a service: every given criterion must hold. */
export const ZInstanceFilter = z.strictObject({
  /** A substring of the instance's id, host or one of its tags. */
  q: z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters").check(plainTextCheck()).optional(),
  health: z.enum(healthStates, { error: `must be one of ${healthStates.join(", ")}` }).optional(),
  /** Enabled as traffic sees it, overrides applied: false means drained. */
  enabled: z
    .enum(["true", "false"], { error: "must be true or false" })
    .transform((value) => value === "true")
    .optional(),
  tag: z.string().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()).optional(),
});
export type TInstanceFilter = z.output<typeof ZInstanceFilter>;

/** Query parameters of GET /api/v1/services/:name (and of the service page's instance table). */
export const ZInstancePageQuery = ZInstanceFilter.extend({
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, `must be 1-${maxInstancePageSize}`)
    .max(maxInstancePageSize, `must be 1-${maxInstancePageSize}`)
    .default(instancePageSize),
  cursor: ZInstanceCursor.optional(),
});
export type TInstancePageQuery = z.output<typeof ZInstancePageQuery>;

/** Reads URL search params; a parameter given twice, unknown or malformed is a 422 naming it. */
export function parseInstancePageQuery(search: URLSearchParams | TSearchParams): TInstancePageQuery {
  return parseSearch(ZInstancePageQuery, search);
}

/** The filter a page link carries (?q=, ?tag=, ?health=, ?enabled=); what does not parse is left out, not an error. */
export function readInstanceFilter(search: URLSearchParams): TInstanceFilter {
  const parsed = ZInstanceFilter.safeParse(
    Object.fromEntries(["q", "tag", "health", "enabled"].flatMap((name) => (search.get(name) ? [[name, search.get(name)]] : []))),
  );
  return parsed.success ? parsed.data : {};
}

/** Whether the filter narrows anything: without one, every instance of the service matches. */
export function isFiltered(filter: TInstanceFilter): boolean {
  return filter.q !== undefined || filter.health !== undefined || filter.enabled !== undefined || filter.tag !== undefined;
}

/** The query string of a page, as the API reads it; `cursor` is a previous answer's nextCursor, passed through as it came. */
export function toInstancePageSearch({ limit, cursor, ...filter }: Partial<TInstanceFilter> & { limit?: number; cursor?: string | null }): string {
  return toSearch({
    q: filter.q,
    health: filter.health,
    enabled: filter.enabled === undefined ? undefined : String(filter.enabled),
    tag: filter.tag,
    limit: limit === undefined || limit === instancePageSize ? undefined : String(limit),
    cursor: cursor ?? undefined,
  });
}
