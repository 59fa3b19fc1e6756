import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { UsersClient } from "./page-client";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePageUser();
  const users = await listUsers();
  return <UsersClient canManage={user.role === "admin"} users={users.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }))} />;
}
