import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { getOverview } from "@/lib/registry/service-detail";

// GET /api/v1/overview - fleet counts by health and the latest health events
export const GET = apiRoute({ permission: "services.read" }, async () => NextResponse.json(await getOverview()));
