import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { getSsoSettings } from "@/lib/auth/sso";
import type { TSsoRefusal } from "@/lib/auth/sso-users";
import type { TSearchParams } from "@/lib/pagination/search-params";

export const metadata: Metadata = { title: "Sign-in refused" };

// Why a sign-in did not end in a session: Meshdeck's own refusals, then Auth.js's error types. Unknown: the last.
const reasons = (provider: string): Record<TSsoRefusal | "AccessDenied" | "OAuthCallbackError" | "Configuration", string> => ({
  "no-role": `${provider} signed you in, but none of your groups gives a Meshdeck role, so you have no access. Ask an administrator to add you to a group that maps to a role.`,
  "no-email": `${provider} did not send your email address, which Meshdeck needs to name your account. Ask an administrator to release the email claim to Meshdeck.`,
  "local-account": `A Meshdeck account with your email address exists and is not one of ${provider}'s, so it was not taken over. Ask an administrator.`,
  disabled: "Your Meshdeck account is disabled. Ask an administrator.",
  AccessDenied: "You have no access to Meshdeck.",
  OAuthCallbackError: `${provider} did not sign you in (you may have cancelled). Try again.`,
  Configuration:
    "Sign-in could not be completed: the answer that came back did not belong to a sign-in started in this browser (its state or PKCE check failed), or single sign-on is misconfigured. Start again from the sign-in page.",
});

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  await connection(); // the provider's name is read at request time
  const error = (await searchParams).error;
  const all = reasons(getSsoSettings()?.name ?? "Your identity provider");
  const message = typeof error === "string" && Object.hasOwn(all, error) ? all[error as keyof typeof all] : all.Configuration;
  return (
    <Card className="p-6">
      <h1 className="mb-4 text-base font-semibold">Sign-in refused</h1>
      <p role="alert" className="mb-4 text-sm">
        {message}
      </p>
      <Link href="/login" className="text-sm font-medium underline">
        Back to sign in
      </Link>
    </Card>
  );
}
