import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listServicePage } from "@/lib/status/service-list";
import { parseServiceListQuery } from "@/lib/status/service-list-query";

// GET /api/v1/services?q=&status=&tag=&source=&sort=&order=&page=&limit= - a page of services with status, signals and sparklines
export const GET = apiRoute({ permission: "services.read" }, async ({ request }) =>
  NextResponse.json(await listServicePage({ query: parseServiceListQuery(request.nextUrl.searchParams) })),
);
