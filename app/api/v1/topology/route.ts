import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getTopology } from "@/lib/metrics/topology/topology-query";
import { parseTopologyParams } from "@/lib/metrics/topology/topology-query-params";

// GET /api/v1/topology - services and caller -> callee edges with health and golden signals, now or at an earlier moment
export const GET = apiRoute({ permission: "services.read" }, async ({ request }) => {
  const now = Date.now();
  const { at, window, q, tag, service } = parseTopologyParams(request.nextUrl.searchParams, now);
  return NextResponse.json(await getTopology({ at, windowMs: window, q, tag, service, now }));
});
