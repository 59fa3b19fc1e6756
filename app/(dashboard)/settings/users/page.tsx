import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { UsersClient } from "./page-client";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePageUser();
  const users = await listUsers();
  return (
    <UsersClient
      canManage={can({ role: user.role, permission: "users.manage" })}
      users={users.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }))}
    />
  );
}
