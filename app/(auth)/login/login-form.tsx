"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { returnParam } from "@/lib/auth/return-path";
import { signInWithPassword } from "./actions";

export function LoginForm({ returnTo }: { returnTo: string }) {
  const [state, action, pending] = useActionState(signInWithPassword, undefined);
  return (
    <Card className="p-6">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      <form action={action} className="space-y-4" key={state?.email}>
        <input type="hidden" name={returnParam} value={returnTo} />
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus={!state} defaultValue={state?.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required autoFocus={Boolean(state)} />
        <FormError message={state?.error} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </Card>
  );
}
