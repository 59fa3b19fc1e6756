import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { getServiceHealthHistory } from "@/lib/health/queries";
import { timelineRangeNames } from "@/lib/health/timeline";
import { parseSearch } from "@/lib/pagination/search-params";
import { ZInstancePageQuery } from "@/lib/registry/instance-page";
import { ZServiceName } from "@/lib/registry/schemas";

// The range, and the page of instances as GET /api/v1/services/:name takes it: the timelines of the rows a page shows.
const ZHealthQuery = ZInstancePageQuery.extend({
  range: z.enum(timelineRangeNames, { error: `must be one of ${timelineRangeNames.join(", ")}` }).default("1h"),
});

// GET /api/v1/services/:name/health?range=1h&limit=&cursor=&q=&health=&enabled=&tag= - each instance's health bands and uptime over the range
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/health">>({ permission: "services.read" }, async ({ request, params }) => {
  const { range, ...query } = parseSearch(ZHealthQuery, request.nextUrl.searchParams);
  return NextResponse.json(await getServiceHealthHistory({ name: ZServiceName.parse(params.name), range, query }));
});
