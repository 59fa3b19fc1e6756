import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getServiceChart } from "@/lib/metrics/chart/chart-query";
import { parseChartQuery } from "@/lib/metrics/chart/chart-query-params";
import { ZServiceName } from "@/lib/registry/schemas";

// GET /api/v1/services/:name/metrics?range=1h|from=&to=&instance=|caller=|callee= - golden signals over time, with the events of that time
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/metrics">>({ permission: "services.read" }, async ({ request, params }) => {
  const service = ZServiceName.parse(params.name);
  const { range, of } = parseChartQuery({ service, params: request.nextUrl.searchParams });
  return NextResponse.json(await getServiceChart({ service, range, of }));
});
