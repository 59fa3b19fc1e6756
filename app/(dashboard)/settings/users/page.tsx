import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { UsersClient } from "./page-client";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  // Emails are for administrators only.
  const user = await requirePageUser({ permission: "users.manage" });
  const users = await listUsers();
  return (
    <UsersClient
      canManage={can({ role: user.role, permission: "users.manage" })}
      selfId={user.id}
      users={users.map(({ disabledAt, createdAt, ssoIssuer, ...row }) => ({
        ...row,
        createdAt: createdAt.toISOString(),
        disabled: disabledAt !== null,
        sso: ssoIssuer !== null,
      }))}
    />
  );
}
