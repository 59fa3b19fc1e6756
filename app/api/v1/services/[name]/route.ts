import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { parseInstancePageQuery } from "@/lib/registry/instance-page";
import { ZServiceName } from "@/lib/registry/schemas";
import { getServiceOrThrow } from "@/lib/registry/service-detail";

// GET /api/v1/services/:name?limit=&cursor=&q=&health=&enabled=&tag= - one service with its counts and one page of its instances
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]">>({ permission: "services.read" }, async ({ request, params }) => {
  const name = ZServiceName.parse(params.name);
  return NextResponse.json(await getServiceOrThrow({ name, query: parseInstancePageQuery(request.nextUrl.searchParams) }));
});
