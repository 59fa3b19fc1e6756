import { apiRoute } from "@/lib/api/handler";
import { liftSilence } from "@/lib/notify/silences";

// DELETE /api/v1/silences/:id - lift a silence before its end, audited (the id checked by apiRoute)
export const DELETE = apiRoute<RouteContext<"/api/v1/silences/[id]">>({ permission: "services.manage" }, async ({ params, actor }) => {
  await liftSilence({ actor, id: params.id });
  return new Response(null, { status: 204 });
});
