import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createApiToken, listApiTokens, ZCreateApiToken } from "@/lib/auth/api-tokens";

// GET /api/v1/tokens - API tokens (never their secret part); admins only
export const GET = apiRoute({ permission: "tokens.manage" }, async () => NextResponse.json({ tokens: await listApiTokens() }));

// POST /api/v1/tokens - create a token; the response is the only time it is shown
export const POST = apiRoute({ permission: "tokens.manage" }, async ({ request, actor }) => {
  const { name, readsSecrets } = ZCreateApiToken.parse(await readJson(request));
  const { token, record } = await createApiToken({ actor, name, readsSecrets });
  return NextResponse.json({ token, ...record }, { status: 201 });
});
