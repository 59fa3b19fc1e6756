import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listServices } from "@/lib/registry/service-detail";

// GET /api/v1/services - every service with its instance counts by health, tags and source
export const GET = apiRoute({ permission: "services.read" }, async () => NextResponse.json({ services: await listServices() }));
