import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { parseAuditQuery } from "@/lib/audit/audit-filters";
import { listAuditEvents } from "@/lib/audit/queries";

// GET /api/v1/audit - audit events newest first, filtered by user, service, action and time, paged by cursor (viewers, and tokens granted audit.read)
export const GET = apiRoute({ permission: "audit.read" }, async ({ request }) =>
  NextResponse.json(await listAuditEvents(parseAuditQuery(request.nextUrl.searchParams))),
);
