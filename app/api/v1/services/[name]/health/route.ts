import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getServiceHealthHistory } from "@/lib/health/queries";
import { checkTimeRange, timeRangeOf, timeRangeShape } from "@/lib/time/range";
import { parseSearch } from "@/lib/pagination/search-params";
import { ZInstancePageQuery } from "@/lib/registry/instance-page";
import { ZInstanceId, ZServiceName } from "@/lib/registry/schemas";

// The range, and the page of instances as GET /api/v1/services/:name takes it: the timelines of the rows a page shows.
// `instance` asks for that one instance's timeline alone (the instance page).
const ZHealthQuery = ZInstancePageQuery.extend({ ...timeRangeShape, instance: ZInstanceId.optional() }).superRefine(checkTimeRange);

// GET /api/v1/services/:name/health?range=1h|from=&to=&limit=&cursor=&q=&health=&enabled=&tag=|instance= - each instance's health bands and uptime over the range
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/health">>({ permission: "services.read" }, async ({ request, params }) => {
  const { range, from, to, instance, ...query } = parseSearch(ZHealthQuery, request.nextUrl.searchParams);
  const window = timeRangeOf({ range, from, to }) ?? { preset: "1h" };
  return NextResponse.json(await getServiceHealthHistory({ name: ZServiceName.parse(params.name), range: window, query, instanceId: instance }));
});
