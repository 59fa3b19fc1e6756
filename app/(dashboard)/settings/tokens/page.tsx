import type { Metadata } from "next";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { can, permissionSpec, serviceTokenGrants, tokenPermissions } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { numberedSearch, readNumberedPage } from "@/lib/pagination/numbered";
import { toSearch } from "@/lib/pagination/search-params";
import { TokensClient } from "./page-client";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage({ searchParams }: PageProps<"/settings/tokens">) {
  // The token list is for administrators only, as the API has it.
  const user = await requirePageUser({ permission: "tokens.manage" });
  // A page at a time; ?page= and ?limit= as the API reads them.
  const paged = readNumberedPage(await searchParams);
  const { tokens, ...where } = await listApiTokens(paged);
  return (
    <TokensClient
      canManage={can({ role: user.role, permission: "tokens.manage" })}
      grantable={tokenPermissions.map((permission) => ({
        permission,
        scope: permissionSpec(permission).scope ?? null,
        checked: serviceTokenGrants.some((grant) => grant.permission === permission),
      }))}
      paging={{ ...where, query: toSearch(numberedSearch(paged)) }}
      tokens={tokens.map((token) => ({
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        permissions: token.permissions,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        expired: token.expired,
        createdBy: token.createdBy?.email ?? "meshdeck",
        createdAt: token.createdAt.toISOString(),
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        revokedAt: token.revokedAt?.toISOString() ?? null,
      }))}
    />
  );
}
