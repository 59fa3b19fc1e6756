import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { endGray } from "@/lib/config/publish/gray";
import { ZConfigRef, ZEndGray, ZGrayOutcome } from "@/lib/config/schemas";

// POST /api/v1/config/items/:namespace/:group/:key/gray/promote|abandon - end the gray release: its version for everyone, or back to the current one.
export const POST = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]/gray/[outcome]">>(
  { permission: "config.publish" },
  async ({ request, params, actor }) => {
    const outcome = ZGrayOutcome.parse(params.outcome);
    const { message } = ZEndGray.parse(await readJson(request));
    const { namespace, group, key } = params;
    return NextResponse.json(await endGray({ actor, ref: ZConfigRef.parse({ namespace, group, key }), outcome, message }));
  },
);
