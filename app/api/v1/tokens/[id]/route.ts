import { apiRoute } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";

// DELETE /api/v1/tokens/:id - revoke a token; services using it are refused at once
export const DELETE = apiRoute<RouteContext<"/api/v1/tokens/[id]">>({ permission: "tokens.manage" }, async ({ params, actor }) => {
  await revokeApiToken({ actor, id: params.id });
  return new Response(null, { status: 204 });
});
