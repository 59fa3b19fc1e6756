import { z } from "zod";
import { toSearchParams, type TSearchParams } from "@/lib/pagination/search-params";
import { encodeCursor, pageSize, ZCursor, ZPageLimit, type TCursor } from "@/lib/pagination/cursor";

// The console's one time range: a preset ending now (?range=1h) or two moments (?from=&to=), the same on every page.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const rangePresets = { "15m": 15 * minute, "1h": hour, "6h": 6 * hour, "24h": day, "7d": 7 * day, "30d": 30 * day } as const;
export type TRangePreset = keyof typeof rangePresets;
export const rangePresetNames = Object.keys(rangePresets) as TRangePreset[];

/** The longest range any page reads: a month of hourly rows at most. */
export const maxRangeMs = rangePresets["30d"];
/** The shortest: a drag narrower than a minute on a chart is a click, not a zoom. */
export const minRangeMs = minute;

export type TTimeRange = { preset: TRangePreset } | { preset: null; from: number; to: number };
/** What a page that needs a range shows when its URL names none. */
export const defaultTimeRange: TTimeRange = { preset: "1h" };
/** A range made concrete at one moment. */
export type TTimeWindow = { preset: TRangePreset | null; from: number; to: number };

/** The search parameters the range owns: links carry them from page to page. */
export const rangeParams = ["range", "from", "to"] as const;

const presetMessage = `must be one of ${rangePresetNames.join(", ")}`;
const momentMessage = "must be an ISO 8601 time such as 2030-01-10T12:00:00Z or milliseconds since the epoch";

/** An ISO 8601 time or milliseconds since the epoch; null for anything else, or a moment Date cannot hold. */
export function readMoment(value: string): number | null {
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}

/** "2026-12-07T00:41:03Z": a moment as the URL writes it, without milliseconds when it has none. */
export function writeMoment(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * The range a URL asks for, or null when it asks for none (each page then has its own default). Whatever cannot be
 * read is not guessed at: the result is null with the reason, for the page to show; a range longer than
 * maxRangeMs keeps its end and is shortened, with the reason too. Never throws.
 */
export function readTimeRange(search: URLSearchParams | TSearchParams): { range: TTimeRange | null; problem: string | null } {
  const params = toSearchParams(search);
  for (const name of rangeParams) {
    if (params.getAll(name).length > 1) return { range: null, problem: `${name}: must be given once` };
  }
  const [preset = null, fromText = null, toText = null] = rangeParams.map((name) => params.get(name) || null);
  if (fromText === null && toText === null) {
    if (preset === null) return { range: null, problem: null };
    const known = rangePresetNames.find((name) => name === preset);
    return known ? { range: { preset: known }, problem: null } : { range: null, problem: `range: ${presetMessage}` };
  }
  if (fromText === null || toText === null)
    return { range: null, problem: `${fromText === null ? "from" : "to"}: must be given with ${fromText === null ? "to" : "from"}` };
  const from = readMoment(fromText);
  const to = readMoment(toText);
  if (from === null) return { range: null, problem: `from: ${momentMessage}` };
  if (to === null) return { range: null, problem: `to: ${momentMessage}` };
  if (to - from < minRangeMs) return { range: null, problem: "to: must be at least a minute after from" };
  if (to - from > maxRangeMs)
    return { range: { preset: null, from: to - maxRangeMs, to }, problem: "the range was longer than 30 days: showing the 30 days before its end" };
  return { range: { preset: null, from, to }, problem: null };
}

/** The range's moments at `now`: a preset ends now, two moments are what they say. */
export function resolveTimeRange(range: TTimeRange, now: number): TTimeWindow {
  return range.preset === null ? range : { preset: range.preset, from: now - rangePresets[range.preset], to: now };
}

/** The range as search parameters for `withSearch`: the one it uses set, the others removed. */
export function timeRangeSearch(range: TTimeRange | null): Record<(typeof rangeParams)[number], string | undefined> {
  if (range === null) return { range: undefined, from: undefined, to: undefined };
  if (range.preset !== null) return { range: range.preset, from: undefined, to: undefined };
  return { range: undefined, from: writeMoment(range.from), to: writeMoment(range.to) };
}

/** The three parameters in an API's or page's zod schema; `checkTimeRange` and `timeRangeOf` finish reading them. */
export const timeRangeShape = { range: z.string().optional(), from: z.string().optional(), to: z.string().optional() };
type TRangeFields = { range?: string | undefined; from?: string | undefined; to?: string | undefined };

const readFields = ({ range, from, to }: TRangeFields) => readTimeRange(toSearchParams({ range, from, to }));

/** An API refuses what a page would only warn about: any problem, a range too long included, is a 400. */
export function checkTimeRange(query: TRangeFields, ctx: z.RefinementCtx) {
  const { problem } = readFields(query);
  if (problem) ctx.addIssue({ code: "custom", path: [/^(range|from|to):/.exec(problem)?.[1] ?? "from"], message: problem.replace(/^\w+: /, "") });
}

export function timeRangeOf(query: TRangeFields): TTimeRange | null {
  return readFields(query).range;
}

/** Query parameters of the APIs that read a range (metrics, health): the same three the pages' URLs hold. */
export const ZTimeRangeQuery = z.object(timeRangeShape).superRefine(checkTimeRange).transform(timeRangeOf);

/** The pages that read the range: overview, services, a service and its instances, events, topology, audit. */
const rangePages = /^\/(services(\/[^/?#]+(\/instances\/[^/?#]+)?)?|events|topology|audit)?(?=$|[?#])/;

/** A link to `href` carrying the range (and nothing else) of the current page's `search`, if it leads to a page that reads one. */
export function carryTimeRange(href: string, search: string | URLSearchParams): string {
  if (!rangePages.test(href)) return href;
  const current = new URLSearchParams(search);
  const hashAt = href.indexOf("#");
  const [target, hash] = hashAt < 0 ? [href, ""] : [href.slice(0, hashAt), href.slice(hashAt)];
  const [path = "", query = ""] = target.split("?");
  const params = new URLSearchParams(query);
  for (const name of rangeParams) {
    const value = current.get(name);
    if (value) params.set(name, value);
  }
  return `${path}${params.size ? `?${params}` : ""}${hash}`;
}

/**
 * A newest-first list's query (events, incidents): its own filters with a time range, a cursor and a page size,
 * refused whole when a parameter is unknown; the range comes out read as one `range` (null: all time).
 */
export function rangedListQuery<TShape extends z.ZodRawShape>(filters: TShape) {
  const shape = z.object({ ...filters, ...timeRangeShape, before: ZCursor.optional(), limit: ZPageLimit }).strict();
  type TQuery = z.output<typeof shape>;
  // TypeScript cannot see the range fields through the generic shape; they are there, as timeRangeShape put them.
  return shape
    .superRefine((query, ctx) => checkTimeRange(query as TRangeFields, ctx))
    .transform((query) => {
      const { range, from, to, ...rest } = query as TQuery & TRangeFields;
      return { ...rest, range: timeRangeOf({ range, from, to }) };
    });
}

/** The range, cursor and page size of such a list as its URL writes them, defaults left out. */
export function rangedListSearch({ range, before, limit }: { range: TTimeRange | null; before?: TCursor | undefined; limit: number }) {
  return { ...timeRangeSearch(range), before: before && encodeCursor(before), limit: limit === pageSize ? undefined : String(limit) };
}
