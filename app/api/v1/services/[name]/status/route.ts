import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { ZServiceName } from "@/lib/registry/schemas";
import { getServiceStatus } from "@/lib/status/queries";

// GET /api/v1/services/:name/status - its objectives, its status as the collector last computed it, and its recent changes
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]/status">>({ permission: "services.read" }, async ({ params }) => {
  return NextResponse.json(await getServiceStatus({ name: ZServiceName.parse(params.name) }));
});
