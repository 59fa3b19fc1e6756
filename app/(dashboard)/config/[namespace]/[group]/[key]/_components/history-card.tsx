"use client";

import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { rollbackItem } from "@/app/(dashboard)/config/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import type { TConfigItemDetail } from "@/lib/config/queries";
import type { TConfigRef } from "@/lib/config/schemas";
import { SideBySideDiff } from "./side-by-side-diff";
import { countOf } from "@/lib/plural";

const select = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";

/** Every version, a diff between any two, and a rollback (confirmed, with a message) to any earlier one. */
export function HistoryCard({
  itemRef,
  detail,
  canEdit,
  onChanged,
}: {
  itemRef: TConfigRef;
  detail: TConfigItemDetail;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const versions = detail.history.map((row) => row.version);
  // Until someone picks versions, the diff follows the newest two, as new versions arrive live.
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const from = picked.from ?? versions[1] ?? versions[0] ?? 1;
  const to = picked.to ?? versions[0] ?? 1;
  const setFrom = (version: number) => setPicked((current) => ({ ...current, from: version, to: current.to ?? to }));
  const setTo = (version: number) => setPicked((current) => ({ ...current, to: version, from: current.from ?? from }));
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState("");
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const diffUrl = apiUrls.configDiff(itemRef, { from, to });
  const pair = useQuery({ queryKey: [diffUrl], queryFn: () => fetchApi(diffUrl), enabled: versions.length > 1 });
  // What a rollback would publish, against what clients hold now: shown before it is confirmed.
  const previewUrl = confirming === null ? null : apiUrls.configDiff(itemRef, { from: detail.version, to: confirming });
  const preview = useQuery({ queryKey: [previewUrl], queryFn: () => fetchApi(previewUrl!), enabled: previewUrl !== null });
  const locked = detail.deleted || Boolean(detail.gray) || (detail.secret && detail.masked);
  const rollback = async (version: number) => {
    const result = await rollbackItem({ ref: itemRef, input: { version, message: message.trim(), baseVersion: detail.version } });
    setOutcome(
      result.ok ? { ok: true, text: `Rolled back: version ${result.data.version} has the content of version ${version}.` } : { ok: false, text: result.error },
    );
    if (result.ok) {
      setConfirming(null);
      setMessage("");
      setPicked({ to: result.data.version, from: version === detail.version ? version : detail.version });
      onChanged();
    }
  };
  return (
    <Card title={`History (${countOf(versions.length, "version")})`} className="mt-6">
      <Table head={["Version", "Kind", "Author", "Message", "When", ""]}>
        {detail.history.map((row) => (
          <Fragment key={row.version}>
            <tr data-testid={`version-${row.version}`}>
              <Td className="whitespace-nowrap tabular-nums font-medium">
                v{row.version} {row.version === detail.version && !detail.deleted && <Badge tone="good">current</Badge>}
                {detail.gray?.version === row.version && <Badge tone="info">gray</Badge>}
              </Td>
              <Td className="text-xs">
                {row.kind}
                {row.fromVersion ? ` of v${row.fromVersion}` : ""}
              </Td>
              <Td className="text-xs">{row.author}</Td>
              <Td className="max-w-sm text-xs">{row.message}</Td>
              <Td className="whitespace-nowrap text-xs">
                <TimeAgo at={row.createdAt} />
              </Td>
              <Td className="text-right">
                {canEdit && !locked && row.version !== detail.version && row.kind !== "gray" && confirming !== row.version && (
                  <Button variant="secondary" onClick={() => (setOutcome(null), setConfirming(row.version))} aria-label={`Roll back to version ${row.version}`}>
                    Roll back
                  </Button>
                )}
                {confirming === row.version && (
                  <div className="flex min-w-80 flex-wrap items-end justify-end gap-2 text-left">
                    <Field
                      label={`Roll back to v${row.version}? Why:`}
                      value={message}
                      onChange={(event) => setMessage(event.target.value)}
                      className="flex-1"
                    />
                    <Button variant="danger" disabled={!message.trim()} onClick={() => void rollback(row.version)}>
                      Confirm rollback
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirming(null)}>
                      Cancel
                    </Button>
                  </div>
                )}
              </Td>
            </tr>
            {confirming === row.version && (
              <tr data-testid="rollback-preview">
                <td colSpan={6} className="border-t border-zinc-100 px-4 py-3 dark:border-zinc-800">
                  <p className="mb-2 text-sm">
                    Rolling back publishes v{row.version}&apos;s content as a new version; against the current v{detail.version} it changes:
                  </p>
                  {preview.error && <FormError message={preview.error.message} />}
                  {preview.data ? (
                    <SideBySideDiff
                      before={preview.data.from.content}
                      after={preview.data.to.content}
                      beforeLabel={`current (v${preview.data.from.version})`}
                      afterLabel={`after rollback (v${preview.data.to.version})`}
                    />
                  ) : (
                    !preview.error && <p className="text-xs text-zinc-500 dark:text-zinc-400">loading the diff…</p>
                  )}
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </Table>
      <div className="space-y-3 border-t border-zinc-100 p-4 dark:border-zinc-800">
        {outcome &&
          (outcome.ok ? (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              {outcome.text}
            </p>
          ) : (
            <FormError message={outcome.text} />
          ))}
        {versions.length > 1 ? (
          <>
            <div className="flex items-center gap-2 text-sm">
              Compare
              <select aria-label="Compare from" className={select} value={from} onChange={(event) => setFrom(Number(event.target.value))}>
                {versions.map((version) => (
                  <option key={version} value={version}>
                    v{version}
                  </option>
                ))}
              </select>
              with
              <select aria-label="Compare to" className={select} value={to} onChange={(event) => setTo(Number(event.target.value))}>
                {versions.map((version) => (
                  <option key={version} value={version}>
                    v{version}
                  </option>
                ))}
              </select>
            </div>
            {pair.error && <FormError message={pair.error.message} />}
            {pair.data && (
              <SideBySideDiff
                before={pair.data.from.content}
                after={pair.data.to.content}
                beforeLabel={`version ${pair.data.from.version}`}
                afterLabel={`version ${pair.data.to.version}`}
              />
            )}
          </>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">One version so far: publish another to compare.</p>
        )}
      </div>
    </Card>
  );
}
