import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { listClientItems } from "@/lib/config/watch/client-read";
import { parseIdentity, ZGroupName, ZNamespaceName } from "@/lib/config/schemas";

// GET /api/v1/config/items/:namespace/:group[?instance=&tags=] - every item of a group as this instance gets it.
export const GET = apiRoute<RouteContext<"/api/v1/config/items/[namespace]/[group]">>({ permission: "config.read" }, async ({ request, params, actor }) => {
  const namespace = ZNamespaceName.parse(params.namespace);
  const group = ZGroupName.parse(params.group);
  return NextResponse.json({ namespace, group, items: await listClientItems({ actor, namespace, group, who: parseIdentity(request.nextUrl.searchParams) }) });
});
