import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { deleteUser, updateUser, ZUpdateUser } from "@/lib/auth/users";

// PATCH /api/v1/users/:id - change a user's role or disable / enable them ({ role?, disabled? }); their sessions end
export const PATCH = apiRoute<RouteContext<"/api/v1/users/[id]">>({ permission: "users.manage" }, async ({ request, params, actor }) => {
  const user = await updateUser({ actor, id: params.id, input: ZUpdateUser.parse(await readJson(request)) });
  return NextResponse.json({ user });
});

// DELETE /api/v1/users/:id - delete a user; audit rows keep their name
export const DELETE = apiRoute<RouteContext<"/api/v1/users/[id]">>({ permission: "users.manage" }, async ({ params, actor }) => {
  await deleteUser({ actor, id: params.id });
  return new Response(null, { status: 204 });
});
