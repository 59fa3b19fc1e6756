"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { createFirstAdministrator } from "./actions";

export function SetupForm() {
  const [result, action, pending] = useActionState(createFirstAdministrator, undefined);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const values = result?.values;
  return (
    <Card className="p-6">
      <h1 className="text-base font-semibold">Create the first administrator</h1>
      <p className="mb-4 mt-1 text-sm text-zinc-500 dark:text-zinc-400">This page works only until the first account exists.</p>
      <form action={action} className="space-y-4" key={JSON.stringify(values ?? {})}>
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus error={errors.email} defaultValue={values?.email} />
        <Field label="Name" name="name" required error={errors.name} defaultValue={values?.name} />
        <Field
          label="Password (12 characters or more)"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          error={errors.password}
        />
        <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        <FormError message={result && !result.ok ? result.error : undefined} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Creating…" : "Create administrator"}
        </Button>
      </form>
    </Card>
  );
}
