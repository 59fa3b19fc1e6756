import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { parseIncidentFilters } from "@/lib/incidents/incident-filters";
import { listIncidents } from "@/lib/incidents/queries";

// GET /api/v1/incidents?service=&cause=&state=&range=&before=&limit= - incidents, the most recently active first, paged by cursor
export const GET = apiRoute({ permission: "events.read" }, async ({ request }) =>
  NextResponse.json(await listIncidents({ filters: parseIncidentFilters(request.nextUrl.searchParams) })),
);
