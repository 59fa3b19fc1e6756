import type { z } from "zod";
import { AppError } from "@/lib/errors";

// Filters in a URL, read with a domain's zod schema and written back for links. Pure: the browser builds links with it.

/** Next's `searchParams` of a page. */
export type TSearchParams = Record<string, string | string[] | undefined>;

/** A page's `searchParams` or a request's URL search params, as URLSearchParams; repeated values are kept, to be refused. */
export function toSearchParams(search: URLSearchParams | TSearchParams): URLSearchParams {
  if (search instanceof URLSearchParams) return search;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const one of [value ?? []].flat()) params.append(key, one);
  }
  return params;
}

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

/** The parameters read with `schema`; what the schema does not know it refuses or drops, as it says. */
export function parseSearch<TSchema extends z.ZodType>(schema: TSchema, search: URLSearchParams | TSearchParams): z.output<TSchema> {
  return schema.parse(toEntries(toSearchParams(search)));
}

/** The inverse: values as a query string, in the order given, leaving out what is not set. */
export function toSearch(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** A link to `path` with `query` changed: a value sets its parameter, an empty one or null removes it. */
export function withSearch(path: string, query: string, changes: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  return `${path}${params.size ? `?${params}` : ""}`;
}
