import { apiRoute } from "@/lib/api/handler";
import { deregisterInstance } from "@/lib/registry/register-instance";
import { ZInstanceId } from "@/lib/registry/schemas";

// DELETE /api/v1/registry/instances/:id - deregister an instance
export const DELETE = apiRoute<RouteContext<"/api/v1/registry/instances/[id]">>({ permission: "registry.register" }, async ({ params }) => {
  await deregisterInstance({ instanceId: ZInstanceId.parse(params.id) });
  return new Response(null, { status: 204 });
});
