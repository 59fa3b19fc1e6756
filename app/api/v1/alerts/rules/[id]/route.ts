import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZAlertRule } from "@/lib/alerts/rule-schema";
import { deleteAlertRule, getAlertRuleOrThrow, updateAlertRule } from "@/lib/alerts/rules";

type TContext = RouteContext<"/api/v1/alerts/rules/[id]">;

// GET /api/v1/alerts/rules/:id - one alert rule
export const GET = apiRoute<TContext>({ permission: "events.read" }, async ({ params }) =>
  NextResponse.json({ rule: await getAlertRuleOrThrow({ id: params.id }) }),
);

// PUT /api/v1/alerts/rules/:id - replace an alert rule's fields; its alerts start over; audited
export const PUT = apiRoute<TContext>({ permission: "alerts.manage" }, async ({ request, params, actor }) => {
  const rule = await updateAlertRule({ actor, id: params.id, input: ZAlertRule.parse(await readJson(request)) });
  return NextResponse.json({ rule });
});

// DELETE /api/v1/alerts/rules/:id - remove an alert rule and its alerts; audited
export const DELETE = apiRoute<TContext>({ permission: "alerts.manage" }, async ({ params, actor }) => {
  await deleteAlertRule({ actor, id: params.id });
  return new Response(null, { status: 204 });
});
