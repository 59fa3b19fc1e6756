import { z } from "zod";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";
import { toSearch } from "@/lib/pagination/search-params";
import { checkTimeRange, timeRangeOf, timeRangeSearch, timeRangeShape, type TTimeRange } from "@/lib/time/range";
import type { TChartSeriesOf } from "../views";

const seriesParams = ["instance", "caller", "callee"] as const;

/** Query parameters of GET /api/v1/services/:name/metrics; at most one of instance, caller, callee. */
export const ZChartQuery = z
  .object({
    ...timeRangeShape,
    instance: ZInstanceId.optional(),
    caller: ZServiceName.optional(),
    callee: ZServiceName.optional(),
  })
  .strict()
  .superRefine(checkTimeRange)
  .superRefine((query, ctx) => {
    const given = seriesParams.filter((param) => query[param] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: "custom", path: [given[1] ?? "instance"], message: `give only one of ${seriesParams.join(", ")}` });
  });

/**
 * The range and the series a chart of `service` asks for: the whole service, `instance`, or an edge.
 * `callee=payments` on orders is the edge orders -> payments; `caller=frontend` is frontend -> orders.
 */
export function parseChartQuery({ service, params }: { service: string; params: URLSearchParams }): { range: TTimeRange; of: TChartSeriesOf } {
  const query = ZChartQuery.parse(Object.fromEntries(params));
  const of: TChartSeriesOf = query.instance
    ? { scope: "instance", instanceId: query.instance }
    : query.callee
      ? { scope: "edge", caller: service, callee: query.callee }
      : query.caller
        ? { scope: "edge", caller: query.caller, callee: service }
        : { scope: "service" };
  return { range: timeRangeOf(query) ?? { preset: "1h" }, of };
}

/** The query string asking for a chart: parseChartQuery's inverse. */
export function chartSearchParams({ service, range, of }: { service: string; range: TTimeRange; of: TChartSeriesOf }): string {
  const params = new URLSearchParams(toSearch(timeRangeSearch(range)));
  if (of.scope === "instance") params.set("instance", of.instanceId);
  if (of.scope === "edge" && of.caller === service) params.set("callee", of.callee);
  else if (of.scope === "edge") params.set("caller", of.caller);
  return params.toString();
}
