"use client";

import { useState } from "react";
import { endGrayRelease } from "@/app/(dashboard)/config/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TConfigItemDetail } from "@/lib/config/queries";
import type { TConfigRef, TGrayOutcome } from "@/lib/config/schemas";
import { SideBySideDiff } from "./side-by-side-diff";

/** The gray release in progress (who it reaches, how far they are), promoted to all or abandoned; the ones before it. */
export function GrayCard({
  itemRef,
  detail,
  currentContent,
  canEdit,
  onChanged,
}: {
  itemRef: TConfigRef;
  detail: TConfigItemDetail;
  currentContent: string;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const { gray } = detail;
  const end = async (outcome: TGrayOutcome) => {
    setPending(true);
    const result = await endGrayRelease({ ref: itemRef, input: { outcome, message: message.trim() } });
    setPending(false);
    setError(result.ok ? undefined : result.error);
    if (result.ok) {
      setMessage("");
      onChanged();
    }
  };
  if (!gray && detail.grayHistory.length === 0) return null;
  const reached = detail.listeners.filter((row) => row.inGray);
  return (
    <Card title="Gray release" className="mt-6">
      <div className="space-y-3 p-4" data-testid="gray-release">
        {gray ? (
          <>
            <p className="text-sm">
              <Badge tone="info">in progress</Badge> Version {gray.version} goes to {[...gray.instanceIds, ...gray.tags.map((tag) => `tag ${tag}`)].join(", ")}{" "}
              before everyone; the others keep version {detail.version}. Started by {gray.startedBy}, <TimeAgo at={gray.startedAt} />.
            </p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {reached.length === 0
                ? "No listening instance is in it yet."
                : `${reached.filter((row) => row.version === gray.version).length} of ${reached.length} listening instances in it hold version ${gray.version}.`}
            </p>
            {!detail.masked && (
              <SideBySideDiff
                before={currentContent}
                after={gray.content}
                beforeLabel={`version ${detail.version} (everyone)`}
                afterLabel={`version ${gray.version} (gray)`}
              />
            )}
            {canEdit && (
              <div className="flex flex-wrap items-end gap-3">
                <Field
                  label="Message"
                  value={message}
                  onChange={(event) => setMessage(event.target.value)}
                  placeholder="what you saw"
                  className="min-w-64 flex-1"
                />
                <Button disabled={pending || !message.trim()} onClick={() => void end("promote")}>
                  Promote to everyone
                </Button>
                <Button variant="danger" disabled={pending || !message.trim()} onClick={() => void end("abandon")}>
                  Abandon
                </Button>
              </div>
            )}
            <FormError message={error} />
          </>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No gray release in progress. Choose “chosen instances first” when publishing to start one.</p>
        )}
        {detail.grayHistory.length > 0 && (
          <ul className="space-y-1 text-xs text-zinc-500 dark:text-zinc-400">
            {detail.grayHistory.map((row) => (
              <li key={`${row.version}-${row.endedAt}`}>
                v{row.version} {row.state} by {row.endedBy}
                {row.endedAt && (
                  <>
                    {" "}
                    , <TimeAgo at={row.endedAt} />
                  </>
                )}{" "}
                (started by {row.startedBy})
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
