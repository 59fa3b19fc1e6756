import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZAlertRule } from "@/lib/alerts/rule-schema";
import { createAlertRule, listAlertRules } from "@/lib/alerts/rules";

// GET /api/v1/alerts/rules - every alert rule, by name
export const GET = apiRoute({ permission: "events.read" }, async () => NextResponse.json({ rules: await listAlertRules() }));

// POST /api/v1/alerts/rules - add an alert rule on a service's (or a tag's services') signals; audited
export const POST = apiRoute({ permission: "alerts.manage" }, async ({ request, actor }) => {
  const rule = await createAlertRule({ actor, input: ZAlertRule.parse(await readJson(request)) });
  return NextResponse.json({ rule }, { status: 201 });
});
