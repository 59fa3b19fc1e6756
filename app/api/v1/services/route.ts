import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listServiceNames, listServicePage } from "@/lib/status/service-list";
import { parseServiceListQuery } from "@/lib/status/service-list-query";

// GET /api/v1/services?q=&status=&tag=&source=&sort=&order=&page=&limit=&fields= - a page of services with status, signals
// and sparklines; with fields=name only their names (the service picker's search)
export const GET = apiRoute({ permission: "services.read" }, async ({ request }) => {
  const query = parseServiceListQuery(request.nextUrl.searchParams);
  return NextResponse.json(query.fields === "name" ? await listServiceNames({ query }) : await listServicePage({ query }));
});
