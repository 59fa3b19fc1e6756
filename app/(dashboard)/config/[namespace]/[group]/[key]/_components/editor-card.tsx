"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { publishItem, startGrayRelease } from "@/app/(dashboard)/config/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import { describeProblem, validateContent } from "@/lib/config/formats/formats";
import { CONFIG_FORMATS, type TConfigFormat, type TConfigRef } from "@/lib/config/schemas";
import { SideBySideDiff } from "./side-by-side-diff";

// CodeMirror is only useful in the browser and is the page's heaviest part: it loads after the rest.
const CodeEditor = dynamic(() => import("./code-editor").then((module) => module.CodeEditor), { ssr: false, loading: () => <Skeleton className="h-64" /> });

export type TEditorBase = { version: number; content: string; format: TConfigFormat };
type TStep = "edit" | "review" | "conflict";
const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);

async function loadLatest(ref: TConfigRef): Promise<TEditorBase | null> {
  const latest = await fetchApi(apiUrls.configHistory(ref)).catch(() => null);
  return latest && { version: latest.version, content: latest.content, format: latest.format };
}

/** The editor: validation as you type, a side-by-side diff against the current version before publishing, a required message. */
export function EditorCard({
  itemRef,
  base,
  latestVersion,
  canEdit,
  managesSecrets,
  secret,
  grayVersion,
  onPublished,
}: {
  itemRef: TConfigRef;
  base: TEditorBase;
  latestVersion: number;
  canEdit: boolean;
  managesSecrets: boolean;
  secret: boolean;
  grayVersion: number | null;
  onPublished: () => void;
}) {
  const [opened, setOpened] = useState(base);
  const [draft, setDraft] = useState(base.content);
  const [format, setFormat] = useState<TConfigFormat>(base.format);
  const [revealed, setRevealed] = useState(!secret);
  const [makeSecret, setMakeSecret] = useState(secret);
  const [step, setStep] = useState<TStep>("edit");
  const [message, setMessage] = useState("");
  const [target, setTarget] = useState<"everyone" | "gray">("everyone");
  const [instances, setInstances] = useState("");
  const [tags, setTags] = useState("");
  const [theirs, setTheirs] = useState<TEditorBase | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  // Nobody edited yet: follow newer versions as they are published. Edited: keep the edit, and warn.
  // Followed while rendering (as React suggests), not in an effect.
  const edited = draft !== opened.content || format !== opened.format;
  const [seenBase, setSeenBase] = useState(base);
  if (base.version !== seenBase.version || base.content !== seenBase.content) {
    setSeenBase(base);
    if (!edited && base.version !== opened.version) {
      setOpened(base);
      setDraft(base.content);
      setFormat(base.format);
      setResult(null);
    }
  }

  const problem = validateContent({ format, content: draft });
  const isNew = opened.version === 0;
  const gray = target === "gray";
  const grayTargets = { instances: list(instances), tags: list(tags) };
  const noTargets = gray && grayTargets.instances.length + grayTargets.tags.length === 0;
  const disabledWhy = !canEdit
    ? "Read-only: viewers cannot publish; an operator or admin can."
    : secret && !managesSecrets
      ? "This item is secret: only an admin can see or change it."
      : grayVersion
        ? `A gray release of version ${grayVersion} is in progress: promote or abandon it (below) before publishing again.`
        : null;

  const publish = async () => {
    setPending(true);
    setResult(null);
    const trimmed = message.trim();
    const outcome = gray
      ? await startGrayRelease({ ref: itemRef, input: { content: draft, message: trimmed, baseVersion: opened.version, ...grayTargets } })
      : await publishItem({
          ref: itemRef,
          input: {
            format,
            content: draft,
            message: trimmed,
            baseVersion: opened.version,
            ...(managesSecrets && makeSecret !== secret ? { secret: makeSecret } : {}),
          },
        });
    setPending(false);
    if (outcome.ok) {
      const version = outcome.data.version;
      setResult({
        ok: true,
        text: gray
          ? `Gray release started: version ${version} goes to ${[...grayTargets.instances, ...grayTargets.tags.map((tag) => `tag ${tag}`)].join(", ")} first.`
          : `Published version ${version}.`,
      });
      setMessage("");
      setStep("edit");
      // A gray version is shown in the gray release card; the editor goes back to everyone's version.
      if (gray) setDraft(opened.content);
      else setOpened({ version, content: draft, format });
      onPublished();
    } else if (outcome.code === "conflict" && outcome.fieldErrors?.baseVersion) {
      setTheirs(await loadLatest(itemRef));
      setResult({ ok: false, text: outcome.error });
      setStep("conflict");
    } else setResult({ ok: false, text: outcome.error });
  };

  if (secret && !managesSecrets) {
    return (
      <Card title="Content" className="mt-6">
        <p className="p-4 font-mono text-sm text-zinc-500 dark:text-zinc-400" data-testid="masked-content">
          •••••••• <span className="font-sans">secret: only admins and allowed API tokens can read it</span>
        </p>
      </Card>
    );
  }

  return (
    <Card
      title={isNew ? "New item" : `Edit (based on version ${opened.version})`}
      className="mt-6"
      action={
        secret && !revealed ? null : (
          <span
            className={problem ? "text-xs text-rose-700 dark:text-rose-400" : "text-xs text-emerald-700 dark:text-emerald-400"}
            data-testid="validation"
            role={problem ? "alert" : undefined}
          >
            {problem ? `Invalid ${format}: ${describeProblem(problem)}` : `Valid ${format}`}
          </span>
        )
      }
    >
      <div className="space-y-4 p-4">
        {disabledWhy && (
          <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="editor-disabled">
            {disabledWhy}
          </p>
        )}
        {latestVersion > opened.version && edited && step === "edit" && !disabledWhy && (
          <p
            role="alert"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            Version {latestVersion} was published since you opened version {opened.version}. Publishing will show the difference first.
          </p>
        )}
        {secret && !revealed ? (
          <div className="flex items-center gap-3 rounded-md border border-dashed border-zinc-300 p-4 text-sm dark:border-zinc-700">
            <span className="font-mono text-zinc-500 dark:text-zinc-400">••••••••</span>
            <span className="text-zinc-500 dark:text-zinc-400">Secret content is hidden.</span>
            <Button variant="secondary" onClick={() => setRevealed(true)}>
              Reveal to edit
            </Button>
          </div>
        ) : step === "edit" ? (
          <>
            <div className="flex flex-wrap items-end gap-4">
              <SelectField
                label="Format"
                aria-label="Format"
                value={format}
                disabled={!canEdit || Boolean(disabledWhy)}
                onChange={(event) => setFormat(event.target.value as TConfigFormat)}
              >
                {CONFIG_FORMATS.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </SelectField>
              {managesSecrets && (
                <label className="flex items-center gap-2 pb-2 text-sm">
                  <input type="checkbox" checked={makeSecret} onChange={(event) => setMakeSecret(event.target.checked)} /> Secret (masked; admins and allowed
                  tokens only)
                </label>
              )}
            </div>
            <CodeEditor value={draft} onChange={setDraft} format={format} readOnly={Boolean(disabledWhy)} label={`Content of ${itemRef.key}`} />
            {!disabledWhy && (
              <div className="flex flex-wrap items-end gap-3">
                <Field
                  label="Message"
                  value={message}
                  onChange={(event) => setMessage(event.target.value)}
                  placeholder="what and why, for the history"
                  maxLength={500}
                  className="min-w-72 flex-1"
                />
                <Button
                  onClick={() => (setResult(null), setStep("review"))}
                  disabled={Boolean(problem) || !message.trim() || (!edited && makeSecret === secret)}
                >
                  Review changes
                </Button>
              </div>
            )}
            {!disabledWhy && (Boolean(problem) || !message.trim() || !edited) && (
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {problem
                  ? "Fix the content to publish it."
                  : !edited && makeSecret === secret
                    ? "Change the content to publish a new version."
                    : "A message is required."}
              </p>
            )}
          </>
        ) : step === "review" ? (
          <>
            <SideBySideDiff
              before={opened.content}
              after={draft}
              beforeLabel={isNew ? "nothing yet" : `version ${opened.version} (current)`}
              afterLabel="your edit"
            />
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Release to</legend>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="target" checked={!gray} onChange={() => setTarget("everyone")} /> every instance
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="target" checked={gray} disabled={isNew} onChange={() => setTarget("gray")} /> chosen instances first (gray release)
                {isNew && <span className="text-xs text-zinc-500 dark:text-zinc-400">: publish a first version to everyone</span>}
              </label>
              {gray && (
                <div className="flex flex-wrap gap-3 pl-6">
                  <Field
                    label="Instance ids"
                    value={instances}
                    onChange={(event) => setInstances(event.target.value)}
                    placeholder="orders-1, orders-2"
                    className="w-64"
                  />
                  <Field label="Tags" value={tags} onChange={(event) => setTags(event.target.value)} placeholder="zone-a" className="w-48" />
                </div>
              )}
            </fieldset>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Message: {message.trim()}</p>
            <div className="flex gap-3">
              <Button onClick={() => void publish()} disabled={pending || noTargets}>
                {pending
                  ? "Publishing…"
                  : gray
                    ? `Start gray release of version ${latestVersion + 1}`
                    : `Publish version ${Math.max(latestVersion, opened.version) + 1}`}
              </Button>
              <Button variant="secondary" onClick={() => setStep("edit")} disabled={pending}>
                Back to editing
              </Button>
            </div>
          </>
        ) : (
          <>
            <p
              role="alert"
              className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-200"
            >
              Conflict: {result?.text}
            </p>
            {theirs && (
              <SideBySideDiff before={theirs.content} after={draft} beforeLabel={`version ${theirs.version} (published meanwhile)`} afterLabel="your edit" />
            )}
            <div className="flex gap-3">
              <Button onClick={() => theirs && (setOpened(theirs), setStep("review"))} disabled={!theirs}>
                Keep my edit on top of version {theirs?.version}
              </Button>
              <Button variant="secondary" onClick={() => theirs && (setOpened(theirs), setDraft(theirs.content), setFormat(theirs.format), setStep("edit"))}>
                Discard my edit
              </Button>
            </div>
          </>
        )}
        {result &&
          step !== "conflict" &&
          (result.ok ? (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              {result.text}
            </p>
          ) : (
            <FormError message={result.text} />
          ))}
      </div>
    </Card>
  );
}
