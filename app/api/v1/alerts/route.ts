import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listActiveAlerts, listAlertHistory, parseAlertFilters } from "@/lib/alerts/queries";

// GET /api/v1/alerts?service=&before=&limit= - alerts pending and firing now, and their changes, newest first, paged by cursor
export const GET = apiRoute({ permission: "events.read" }, async ({ request }) => {
  const filters = parseAlertFilters(request.nextUrl.searchParams);
  const [active, history] = await Promise.all([listActiveAlerts({ service: filters.service }), listAlertHistory({ filters })]);
  return NextResponse.json({ active: active.alerts, activeTotal: active.total, ...history });
});
