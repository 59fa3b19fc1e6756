import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { returnParam, safeReturnPath } from "@/lib/auth/return-path";
import { getCurrentUser } from "@/lib/auth/session";
import { getLocalSignIn, getSsoSettings } from "@/lib/auth/sso";
import type { TSearchParams } from "@/lib/pagination/search-params";
import { hasAnyUser } from "@/lib/auth/users";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  await connection(); // it reads the database at request time, never at build time
  if (!(await hasAnyUser())) redirect("/setup");
  // Only a path of this site: a link that names another is an open redirect, and goes to the overview.
  const returnTo = safeReturnPath((await searchParams)[returnParam]);
  if (await getCurrentUser()) redirect(returnTo);
  const local = await getLocalSignIn();
  return <LoginForm returnTo={returnTo} ssoName={getSsoSettings()?.name} passwords={local.open !== "nobody"} notice={local.notice} />;
}
