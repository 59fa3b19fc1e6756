"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { returnParam } from "@/lib/auth/return-path";
import { signInWithPassword, signInWithSso } from "./actions";

function PasswordForm({ returnTo }: { returnTo: string }) {
  const [state, action, pending] = useActionState(signInWithPassword, undefined);
  return (
    <form action={action} className="space-y-4" key={state?.email}>
      <input type="hidden" name={returnParam} value={returnTo} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus={!state} defaultValue={state?.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required autoFocus={Boolean(state)} />
      <FormError message={state?.error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

/** The sign-in card: the provider's button when single sign-on is configured, the password form while it is open. */
export function LoginForm({ returnTo, ssoName, passwords, notice }: { returnTo: string; ssoName?: string; passwords: boolean; notice?: string }) {
  return (
    <Card className="p-6">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      {ssoName ? (
        <form action={signInWithSso} className={passwords ? "mb-4" : undefined}>
          <input type="hidden" name={returnParam} value={returnTo} />
          <Button type="submit" variant={passwords ? "secondary" : "primary"} className="w-full" autoFocus={!passwords}>
            {`Sign in with ${ssoName}`}
          </Button>
        </form>
      ) : null}
      {notice ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200">
          {notice}
        </p>
      ) : null}
      {passwords ? <PasswordForm returnTo={returnTo} /> : null}
    </Card>
  );
}
