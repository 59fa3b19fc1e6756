import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createUser, listUsers, ZCreateUser } from "@/lib/auth/users";

// GET /api/v1/users - every user and role; admins only
export const GET = apiRoute({ needs: "admin", tokens: false }, async () => NextResponse.json({ users: await listUsers() }));

// POST /api/v1/users - add a user with a role (admin, operator, viewer)
export const POST = apiRoute({ needs: "admin", tokens: false }, async ({ request, actor }) => {
  const user = await createUser({ actor, input: ZCreateUser.parse(await readJson(request)) });
  return NextResponse.json({ user }, { status: 201 });
});
