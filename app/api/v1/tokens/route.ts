import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createApiToken, listApiTokens, ZCreateApiToken } from "@/lib/auth/api-tokens";

// GET /api/v1/tokens - API tokens (never their secret part); admins only
export const GET = apiRoute({ needs: "admin", tokens: false }, async () => NextResponse.json({ tokens: await listApiTokens() }));

// POST /api/v1/tokens - create a token; the response is the only time it is shown
export const POST = apiRoute({ needs: "admin", tokens: false }, async ({ request, actor }) => {
  const { name, readsSecrets } = ZCreateApiToken.parse(await readJson(request));
  const { token, record } = await createApiToken({ actor, name, readsSecrets });
  return NextResponse.json({ token, ...record }, { status: 201 });
});
