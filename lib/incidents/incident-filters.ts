import { z } from "zod";
import { parseSearch, toSearch, type TSearchParams } from "@/lib/pagination/search-params";
import { ZServiceName } from "@/lib/registry/schemas";
import { rangedListQuery, rangedListSearch } from "@/lib/time/range";
import { incidentCauses } from "./group-events";

export const incidentStates = ["open", "ended"] as const;

/** Query parameters of GET /api/v1/incidents (and of the events page's incident view). */
export const ZIncidentFilters = rangedListQuery({
  service: ZServiceName.optional(),
  cause: z.enum(incidentCauses, { error: `must be one of ${incidentCauses.join(", ")}` }).optional(),
  state: z.enum(incidentStates, { error: `must be one of ${incidentStates.join(", ")}` }).optional(),
});
export type TIncidentFilters = z.output<typeof ZIncidentFilters>;

/** Reads URL search params; a parameter given twice is refused rather than silently picked. */
export function parseIncidentFilters(search: URLSearchParams | TSearchParams): TIncidentFilters {
  return parseSearch(ZIncidentFilters, search);
}

/** The filters as the URL and the API both read them. */
export function toIncidentSearch(filters: TIncidentFilters): string {
  return toSearch({
    service: filters.service,
    cause: filters.cause,
    state: filters.state,
    ...rangedListSearch(filters),
  });
}
