import { apiRoute, readJson } from "@/lib/api/handler";
import { setUserPassword, ZSetPassword } from "@/lib/auth/users";

// PUT /api/v1/users/:id/password - set a user's password ({ password }); they must change it at next sign-in
export const PUT = apiRoute<RouteContext<"/api/v1/users/[id]/password">>({ permission: "users.manage" }, async ({ request, params, actor }) => {
  const { password } = ZSetPassword.parse(await readJson(request));
  await setUserPassword({ actor, id: params.id, password });
  return new Response(null, { status: 204 });
});
