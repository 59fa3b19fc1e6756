import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { rollbackConfig } from "@/lib/config/publish/publish";
import { ZConfigRef, ZRollbackConfig } from "@/lib/config/schemas";

// POST /api/v1/config/items/:namespace/:group/:key/rollback - publish an old version's content again as a new version.
export const POST = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]/rollback">>(
  { permission: "config.publish" },
  async ({ request, params, actor }) => {
    const input = ZRollbackConfig.parse(await readJson(request));
    return NextResponse.json(await rollbackConfig({ actor, ref: ZConfigRef.parse(params), input }));
  },
);
