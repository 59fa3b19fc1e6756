import { apiRoute } from "@/lib/api/handler";
import { deregisterInstance } from "@/lib/registry/register-instance";
import { ZInstanceId } from "@/lib/registry/schemas";

// DELETE /api/v1/registry/instances/:id - deregister an instance
export const DELETE = apiRoute<{ id: string }>({ needs: "operator" }, async ({ params }) => {
  await deregisterInstance({ instanceId: ZInstanceId.parse(params.id) });
  return new Response(null, { status: 204 });
});
