import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/handler";
import { previewAlertRule } from "@/lib/alerts/preview";
import { ZAlertRule } from "@/lib/alerts/rule-schema";
import { AppError } from "@/lib/errors";
import { ZServiceName } from "@/lib/registry/schemas";

const ZPreview = z.strictObject({ rule: ZAlertRule, service: ZServiceName.optional() });

// POST /api/v1/alerts/preview - how a rule (not saved) would have fired on a service over the last 24 h; stores nothing
export const POST = apiRoute({ permission: "events.read" }, async ({ request }) => {
  const { rule, service } = ZPreview.parse(await readJson(request));
  const on = rule.service ?? service;
  if (!on) throw new AppError("validation_failed", "service: name a service of the tag to preview on", "service");
  return NextResponse.json({ preview: await previewAlertRule({ input: rule, service: on }) });
});
