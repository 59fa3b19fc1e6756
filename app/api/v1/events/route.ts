import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { parseEventFilters } from "@/lib/health/event-filters";
import { listEvents } from "@/lib/health/queries";

// GET /api/v1/events - failover, outage, flapping and health events, newest first, filtered and paged by cursor
export const GET = apiRoute({ permission: "events.read" }, async ({ request }) =>
  NextResponse.json(await listEvents({ filters: parseEventFilters(request.nextUrl.searchParams) })),
);
