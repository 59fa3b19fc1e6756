"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { Table, Td } from "@/components/ui/table";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import type { TImportChange } from "@/lib/config/publish/transfer";
import { countOf } from "@/lib/plural";

const tones = { new: "good", changed: "warn", unchanged: "neutral" } as const;

function postImport(namespace: string, text: string, how: { dryRun: true } | { message: string }) {
  return fetchApi(apiUrls.configImport(namespace, how), { method: "POST", headers: { "content-type": "application/json" }, body: text });
}

/** Export the namespace as a JSON file; import one with a preview of what it changes before anything is written. */
export function ImportCard({ namespace }: { namespace: string }) {
  const router = useRouter();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<TImportChange[] | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [pending, setPending] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setPending(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  };
  const choose = (chosen: File | undefined) =>
    run(async () => {
      setPreview(null);
      setDone(undefined);
      if (!chosen) return setFile(null);
      const text = await chosen.text();
      setFile({ name: chosen.name, text });
      setPreview((await postImport(namespace, text, { dryRun: true })).changes);
    });
  const apply = () =>
    run(async () => {
      const result = await postImport(namespace, file!.text, { message: message.trim() });
      setDone(`Imported: ${countOf(result.written?.length ?? 0, "item")} published into ${namespace}.`);
      setPreview(null);
      setFile(null);
      router.refresh();
    });
  const changing = preview?.filter((row) => row.change !== "unchanged").length ?? 0;
  return (
    <Card
      title="Import and export"
      action={
        <a href={apiUrls.configExport(namespace)} download className="text-sm font-medium hover:underline">
          Export {namespace} (JSON)
        </a>
      }
    >
      <div className="space-y-3 p-4">
        <label className="block text-sm font-medium">
          Import a Meshdeck export into {namespace}
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Import file"
            className="mt-1 block text-sm"
            onChange={(event) => void choose(event.target.files?.[0])}
          />
        </label>
        <FormError message={error} />
        {done && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {done}
          </p>
        )}
        {preview && (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {file?.name}: {countOf(preview.length, "item")}, {changing} would change; items of {namespace} not in the file are left alone.
            </p>
            <Table head={["Item", "Change", "Lines"]}>
              {preview.map((row) => (
                <tr key={`${row.group}/${row.key}`}>
                  <Td className="font-mono text-xs">
                    {row.group}/{row.key}
                  </Td>
                  <Td>
                    <Badge tone={tones[row.change]}>{row.change === "changed" ? `changed from v${row.fromVersion}` : row.change}</Badge>
                  </Td>
                  <Td className="text-xs tabular-nums">
                    <span className="text-emerald-700 dark:text-emerald-400">+{row.added}</span>{" "}
                    <span className="text-rose-700 dark:text-rose-400">−{row.removed}</span>
                  </Td>
                </tr>
              ))}
            </Table>
            <div className="flex flex-wrap items-end gap-3">
              <Field
                label="Message"
                value={message}
                onChange={(event) => setMessage(event.target.value)}
                placeholder="why, for the history and the audit log"
                className="min-w-64 flex-1"
              />
              <Button onClick={() => void apply()} disabled={pending || changing === 0 || !message.trim()}>
                Import {countOf(changing, "item")}
              </Button>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
