"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { signOutAction } from "@/app/(dashboard)/actions";
import { changeOwnPassword } from "./actions";

export function ChangePasswordForm({ email, forced }: { email: string; forced: boolean }) {
  const [state, action, pending] = useActionState(changeOwnPassword, undefined);
  const fields = state?.ok === false ? (state.fieldErrors ?? {}) : {};
  if (state?.ok) {
    return (
      <Card className="p-6">
        <h1 className="mb-2 text-base font-semibold">Password changed</h1>
        <p className="mb-4 text-sm text-zinc-500 dark:text-zinc-400">Your other sessions were signed out.</p>
        <Link href="/" className="text-sm font-medium underline">
          Go to the dashboard
        </Link>
      </Card>
    );
  }
  return (
    <Card className="p-6">
      <h1 className="mb-2 text-base font-semibold">Change password</h1>
      <p className="mb-4 text-sm text-zinc-500 dark:text-zinc-400">
        {forced ? "An administrator set your password. Choose your own before you go on." : "Your other sessions will be signed out."}
      </p>
      <form action={action} className="space-y-4">
        <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          error={fields.currentPassword}
        />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={12} error={fields.newPassword} />
        <FormError message={state?.ok === false && !state.fieldErrors ? state.error : undefined} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </form>
      <form action={signOutAction} className="mt-4 text-center">
        <button className="text-sm text-zinc-500 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100">Sign out</button>
      </form>
    </Card>
  );
}
