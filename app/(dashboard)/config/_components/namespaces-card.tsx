"use client";

import { useState, useTransition } from "react";
import { addNamespace, removeNamespace } from "@/app/(dashboard)/config/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { countOf } from "@/lib/plural";

/** Admins create namespaces and delete empty ones. */
export function NamespacesCard({ namespaces }: { namespaces: { name: string; description: string; items: number }[] }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const act = (work: () => ReturnType<typeof addNamespace>) =>
    startTransition(async () => {
      const result = await work();
      setError(result.ok ? undefined : result.error);
      if (result.ok) setName("");
    });
  return (
    <Card title="Namespaces (admin)" className="mt-6">
      <div className="space-y-3 p-4">
        <ul className="flex flex-wrap gap-2 text-sm">
          {namespaces.map((row) => (
            <li key={row.name} className="flex items-center gap-2 rounded-md border border-zinc-200 px-2 py-1 dark:border-zinc-800">
              <span className="font-medium">{row.name}</span>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">{countOf(row.items, "item")}</span>
              {row.items === 0 && (
                <button
                  type="button"
                  className="text-xs text-rose-700 hover:underline dark:text-rose-400"
                  disabled={pending}
                  onClick={() => window.confirm(`Delete namespace ${row.name}?`) && act(() => removeNamespace({ name: row.name }))}
                >
                  delete
                </button>
              )}
            </li>
          ))}
        </ul>
        <form className="flex flex-wrap items-end gap-3" onSubmit={(event) => (event.preventDefault(), act(() => addNamespace({ name, description })))}>
          <Field label="New namespace" value={name} onChange={(event) => setName(event.target.value.trim())} placeholder="qa" className="w-40" />
          <Field label="Description" value={description} onChange={(event) => setDescription(event.target.value)} className="w-64" />
          <Button type="submit" disabled={!name || pending}>
            Create namespace
          </Button>
        </form>
        <FormError message={error} />
      </div>
    </Card>
  );
}
