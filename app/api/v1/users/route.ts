import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createUser, listUsers, ZCreateUser } from "@/lib/auth/users";

// GET /api/v1/users - every user and role; admins only
export const GET = apiRoute({ permission: "users.manage" }, async () => NextResponse.json({ users: await listUsers() }));

// POST /api/v1/users - add a user with a role (admin, operator, viewer)
export const POST = apiRoute({ permission: "users.manage" }, async ({ request, actor }) => {
  const user = await createUser({ actor, input: ZCreateUser.parse(await readJson(request)) });
  return NextResponse.json({ user }, { status: 201 });
});
