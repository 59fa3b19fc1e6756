import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { deleteNamespace } from "@/lib/config/publish/namespaces";
import { ZNamespaceName } from "@/lib/config/schemas";

// DELETE /api/v1/config/namespaces/:name - delete an empty namespace (admin session).
export const DELETE = apiRoute<RouteContext<"/api/v1/config/namespaces/[name]">>({ permission: "namespaces.manage" }, async ({ params, actor }) => {
  await deleteNamespace({ actor, name: ZNamespaceName.parse(params.name) });
  return new NextResponse(null, { status: 204 });
});
