import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { ZNumberedPageQuery } from "@/lib/pagination/numbered";
import { parseSearch } from "@/lib/pagination/search-params";
import { createApiToken, listApiTokens, ZCreateApiToken } from "@/lib/auth/api-tokens";

// GET /api/v1/tokens[?page=2][&limit=50] - a page of API tokens, permissions and expiry (never the secret), and the count; admins only
export const GET = apiRoute({ permission: "tokens.manage" }, async ({ request }) =>
  NextResponse.json(await listApiTokens(parseSearch(ZNumberedPageQuery, request.nextUrl.searchParams))),
);

// POST /api/v1/tokens - create a token with permissions, scopes and an expiry; the response is the only time it is shown
export const POST = apiRoute({ permission: "tokens.manage" }, async ({ request, actor }) => {
  const input = ZCreateApiToken.parse(await readJson(request));
  const { token, record } = await createApiToken({ actor, ...input });
  return NextResponse.json({ token, ...record }, { status: 201 });
});
