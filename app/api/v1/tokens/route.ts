import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createApiToken, listApiTokens, ZCreateApiToken } from "@/lib/auth/api-tokens";

// GET /api/v1/tokens - API tokens with their permissions and expiry (never their secret part); admins only
export const GET = apiRoute({ permission: "tokens.manage" }, async () => NextResponse.json({ tokens: await listApiTokens() }));

// POST /api/v1/tokens - create a token with permissions, scopes and an expiry; the response is the only time it is shown
export const POST = apiRoute({ permission: "tokens.manage" }, async ({ request, actor }) => {
  const input = ZCreateApiToken.parse(await readJson(request));
  const { token, record } = await createApiToken({ actor, ...input });
  return NextResponse.json({ token, ...record }, { status: 201 });
});
