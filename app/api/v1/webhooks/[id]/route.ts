import { apiRoute } from "@/lib/api/handler";
import { deleteWebhook } from "@/lib/notify/webhooks";

// DELETE /api/v1/webhooks/:id - stop posting to this webhook
export const DELETE = apiRoute<RouteContext<"/api/v1/webhooks/[id]">>({ permission: "webhooks.manage" }, async ({ params, actor }) => {
  await deleteWebhook({ actor, id: params.id });
  return new Response(null, { status: 204 });
});
