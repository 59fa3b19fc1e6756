import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { numberedSearch, readNumberedPage } from "@/lib/pagination/numbered";
import { toSearch } from "@/lib/pagination/search-params";
import { listUsers } from "@/lib/auth/users";
import { UsersClient } from "./page-client";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: PageProps<"/settings/users">) {
  // Emails are for administrators only.
  const user = await requirePageUser({ permission: "users.manage" });
  // A page at a time; ?page= and ?limit= as the API reads them.
  const paged = readNumberedPage(await searchParams);
  const { users, ...where } = await listUsers(paged);
  return (
    <UsersClient
      canManage={can({ role: user.role, permission: "users.manage" })}
      selfId={user.id}
      paging={{ ...where, query: toSearch(numberedSearch(paged)) }}
      users={users.map(({ disabledAt, createdAt, ssoIssuer, ...row }) => ({
        ...row,
        createdAt: createdAt.toISOString(),
        disabled: disabledAt !== null,
        sso: ssoIssuer !== null,
      }))}
    />
  );
}
