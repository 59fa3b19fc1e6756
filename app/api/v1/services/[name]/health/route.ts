import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { getServiceHealthHistory } from "@/lib/health/queries";
import { timelineRangeNames } from "@/lib/health/timeline";
import { ZServiceName } from "@/lib/registry/schemas";
import { parseSearch } from "@/lib/pagination/search-params";

const ZHealthQuery = z.object({ range: z.enum(timelineRangeNames, { error: `must be one of ${timelineRangeNames.join(", ")}` }).default("1h") }).strict();

// GET /api/v1/services/:name/health?range=1h - each instance's health bands and uptime over the range
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/health">>({ permission: "services.read" }, async ({ request, params }) => {
  const { range } = parseSearch(ZHealthQuery, request.nextUrl.searchParams);
  return NextResponse.json(await getServiceHealthHistory({ name: ZServiceName.parse(params.name), range }));
});
