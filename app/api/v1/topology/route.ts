import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getTopology } from "@/lib/metrics/topology/topology-query";
import { parseTopologyParams } from "@/lib/metrics/topology/topology-query-params";

// GET /api/v1/topology - services (grouped past a screenful) and caller -> callee edges with health and golden signals, now or earlier
export const GET = apiRoute({ permission: "services.read" }, async ({ request }) => {
  const now = Date.now();
  const { window, ...filters } = parseTopologyParams(request.nextUrl.searchParams, now);
  return NextResponse.json(await getTopology({ ...filters, windowMs: window, now }));
});
