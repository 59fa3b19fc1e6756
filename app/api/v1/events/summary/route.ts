import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getEventHighlights } from "@/lib/health/queries";

// GET /api/v1/events/summary - open outages and the latest failovers, for the overview
export const GET = apiRoute({ permission: "events.read" }, async () => NextResponse.json(await getEventHighlights()));
