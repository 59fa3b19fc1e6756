import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { getIncident } from "@/lib/incidents/queries";

const ZIncidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an incident id");

// GET /api/v1/incidents/:id - one incident, with its recurrences and its events
export const GET = apiRoute<RouteContext<"/api/v1/incidents/[id]">>({ permission: "events.read" }, async ({ params }) =>
  NextResponse.json(await getIncident({ id: ZIncidentId.parse(params.id) })),
);
