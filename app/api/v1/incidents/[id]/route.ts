import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getIncident } from "@/lib/incidents/queries";

// GET /api/v1/incidents/:id - one incident, with its recurrences and its events (the id checked by apiRoute)
export const GET = apiRoute<RouteContext<"/api/v1/incidents/[id]">>({ permission: "events.read" }, async ({ params }) =>
  NextResponse.json(await getIncident({ id: params.id })),
);
