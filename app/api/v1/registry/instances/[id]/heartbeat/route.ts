import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { recordHeartbeat } from "@/lib/registry/heartbeats";
import { ZInstanceId } from "@/lib/registry/schemas";

// PUT /api/v1/registry/instances/:id/heartbeat - a TTL instance says it is alive
export const PUT = apiRoute<RouteContext<"/api/v1/registry/instances/[id]/heartbeat">>({ permission: "registry.register" }, async ({ params }) => {
  const { health } = await recordHeartbeat({ instanceId: ZInstanceId.parse(params.id) });
  return NextResponse.json({ health });
});
