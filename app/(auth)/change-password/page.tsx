import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { ChangePasswordForm } from "./page-client";

export const metadata: Metadata = { title: "Change password" };

// Every signed-in user may change their password here; one whose password an administrator set is sent here
// and can do nothing else until it is done.
export default async function ChangePasswordPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return <ChangePasswordForm email={user.email} forced={user.mustChangePassword} />;
}
