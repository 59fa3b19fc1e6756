import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { getClientItem } from "@/lib/config/watch/client-read";
import { deleteConfig, publishConfig } from "@/lib/config/publish/publish";
import { MAX_CONFIG_BODY_BYTES, parseIdentity, ZConfigRef, ZDeleteConfig, ZPublishConfig } from "@/lib/config/schemas";

// GET /api/v1/config/items/:namespace/:group/:key[?instance=&tags=] - the item as this instance gets it, with its ETag (If-None-Match answers 304).
export const GET = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]">>(
  { permission: "config.read" },
  async ({ request, params, actor }) => {
    const item = await getClientItem({ actor, ref: ZConfigRef.parse(params), who: parseIdentity(request.nextUrl.searchParams) });
    const headers = { ETag: item.etag, "X-Meshdeck-Config-Version": String(item.version) };
    if (request.headers.get("if-none-match") === item.etag) return new NextResponse(null, { status: 304, headers });
    return NextResponse.json(item, { headers });
  },
);

// PUT /api/v1/config/items/:namespace/:group/:key - publish a new version for everyone (operator session; secret items: admin).
export const PUT = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]">>(
  { permission: "config.publish" },
  async ({ request, params, actor }) => {
    const input = ZPublishConfig.parse(await readJson(request, { maxBytes: MAX_CONFIG_BODY_BYTES }));
    return NextResponse.json(await publishConfig({ actor, ref: ZConfigRef.parse(params), input }));
  },
);

// DELETE /api/v1/config/items/:namespace/:group/:key - delete for clients; the history stays (operator session; secret items: admin).
export const DELETE = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]/[key]">>(
  { permission: "config.publish" },
  async ({ request, params, actor }) => {
    const input = ZDeleteConfig.parse(await readJson(request));
    await deleteConfig({ actor, ref: ZConfigRef.parse(params), input });
    return new NextResponse(null, { status: 204 });
  },
);
