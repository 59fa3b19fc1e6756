import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { startGray } from "@/lib/config/publish/gray";
import { MAX_CONFIG_BODY_BYTES, ZConfigRef, ZStartGray } from "@/lib/config/schemas";

// POST /api/v1/config/items/:namespace/:group/:key/gray - publish new content to chosen instances (by id or tag) first.
export const POST = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]/gray">>(
  { permission: "config.publish" },
  async ({ request, params, actor }) => {
    const input = ZStartGray.parse(await readJson(request, { maxBytes: MAX_CONFIG_BODY_BYTES }));
    return NextResponse.json(await startGray({ actor, ref: ZConfigRef.parse(params), input }), { status: 201 });
  },
);
