import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getServiceOrThrow } from "@/lib/registry/queries";
import { ZServiceName } from "@/lib/registry/schemas";

// GET /api/v1/services/:name - one service and all its instances, whatever their health
export const GET = apiRoute<RouteContext<"/api/v1/services/[name]">>({ permission: "services.read" }, async ({ params }) =>
  NextResponse.json({ service: await getServiceOrThrow({ name: ZServiceName.parse(params.name) }) }),
);
