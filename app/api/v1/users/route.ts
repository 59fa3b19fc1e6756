import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZNumberedPageQuery } from "@/lib/pagination/numbered";
import { parseSearch } from "@/lib/pagination/search-params";
import { createUser, listUsers, ZCreateUser } from "@/lib/auth/users";

// GET /api/v1/users[?page=2][&limit=50] - a page of every user and role, and how many there are; admins only
export const GET = apiRoute({ permission: "users.manage" }, async ({ request }) =>
  NextResponse.json(await listUsers(parseSearch(ZNumberedPageQuery, request.nextUrl.searchParams))),
);

// POST /api/v1/users - add a user with a role (admin, operator, viewer)
export const POST = apiRoute({ permission: "users.manage" }, async ({ request, actor }) => {
  const user = await createUser({ actor, input: ZCreateUser.parse(await readJson(request)) });
  return NextResponse.json({ user }, { status: 201 });
});
