import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listAlertmanagerSilences } from "@/lib/alerts/alertmanager";

// GET /api/v1/alerts/silences - Alertmanager's active silences (GET /api/v2/silences there); null without MESHDECK_ALERTMANAGER_URL
export const GET = apiRoute({ permission: "events.read" }, async () => NextResponse.json({ alertmanager: await listAlertmanagerSilences() }));
