import type { Metadata } from "next";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { TokensClient } from "./page-client";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  // The token list is for administrators only, as the API has it.
  const user = await requirePageUser({ permission: "tokens.manage" });
  const tokens = await listApiTokens();
  return (
    <TokensClient
      canManage={can({ role: user.role, permission: "tokens.manage" })}
      tokens={tokens.map((token) => ({
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        readsSecrets: token.readsSecrets,
        createdBy: token.createdBy?.email ?? "meshdeck",
        createdAt: token.createdAt.toISOString(),
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        revokedAt: token.revokedAt?.toISOString() ?? null,
      }))}
    />
  );
}
