"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useActionState, useEffect, useEffectEvent, useState } from "react";
import { applyInstanceChange, previewTrafficChange } from "../actions";
import { useFormatTime } from "@/components/time/time-zone";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, ReasonField, SelectField } from "@/components/ui/field";
import type { TServiceDetail } from "@/lib/registry/service-detail";
import { selectedCount, toSelector, type TSelection } from "./selection";
import { toChange, type TTrafficMode } from "./traffic-change";
import { TrafficPreview } from "./traffic-preview";
import { countOf } from "@/lib/plural";

const expiries = [
  ["", "never"],
  ["10m", "10 minutes"],
  ["30m", "30 minutes"],
  ["1h", "1 hour"],
  ["4h", "4 hours"],
  ["24h", "24 hours"],
] as const;

function weightError(text: string): string | undefined {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value)) return "must be a whole number";
  if (value < 0 || value > 10_000) return "must be between 0 and 10000";
  return undefined;
}

/** What an operator changes on the selected instances, previewed as the traffic it leaves before it is saved. */
export function TrafficPanel({
  service,
  selection,
  canGovern,
  onApplied,
  initialMode = "weight",
}: {
  service: TServiceDetail["service"];
  selection: TSelection;
  canGovern: boolean;
  onApplied: (outcome: "saved" | "conflict") => void;
  /** The change offered first: the command palette's "Drain orders-2…" opens the panel on drain. */
  initialMode?: TTrafficMode;
}) {
  const formatTime = useFormatTime();
  const [mode, setMode] = useState<TTrafficMode>(initialMode);
  const [weight, setWeight] = useState("100");
  const [expiresIn, setExpiresIn] = useState("");
  const [reason, setReason] = useState("");
  const [force, setForce] = useState(false);
  const [state, formAction, pending] = useActionState(applyInstanceChange, undefined);

  // A saved change clears the form while rendering (as React suggests), not in an effect.
  const [answered, setAnswered] = useState(state);
  if (state !== answered) {
    setAnswered(state);
    if (state?.ok) {
      setReason("");
      setForce(false);
    }
  }
  // Only a new answer from the server counts, not a new callback.
  const applied = useEffectEvent(onApplied);
  useEffect(() => {
    if (state?.ok) applied("saved");
    else if (state?.code === "conflict") applied("conflict");
  }, [state]);

  const invalidWeight = mode === "weight" ? weightError(weight) : undefined;
  const change = toChange(mode, Number(weight));
  const count = selectedCount(selection);
  // Previewed on the server, as the guard will judge it; asked again when the catalog moves (modifyIndex).
  const input = canGovern && count > 0 && !invalidWeight ? { selector: toSelector(service.name, selection), change } : null;
  const previewed = useQuery({
    queryKey: ["traffic-preview", input, service.modifyIndex],
    queryFn: () => previewTrafficChange(input!),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
  const answer = input ? previewed.data : undefined;
  const preview = answer?.ok ? (answer.data.services.find((each) => each.service === service.name) ?? null) : null;
  // The server's count of what the selection picks now; the page's until it answers.
  const applyCount = answer?.ok ? answer.data.selected : count;
  const needsForce = Boolean(preview?.refusal) && !force;
  const disabledWhy = !canGovern
    ? "Read-only: viewers cannot change traffic; an operator or admin can."
    : count === 0
      ? "Select instances in the table above (or all of them, or by tag) to change their traffic."
      : null;

  return (
    <Card title="Change traffic" className="mt-6">
      <form action={formAction} aria-label="Change traffic" className="space-y-4 p-4">
        <input type="hidden" name="service" value={service.name} />
        {/* Each chosen row, with the override version seen: a newer one means someone else changed it meanwhile. */}
        {selection.kind === "rows" && selection.rows.map((row) => <input key={row.id} type="hidden" name={`expected.${row.id}`} value={row.version} />)}
        {/* Every instance the table's filters match, picked again by the server when the change is applied. */}
        {selection.kind === "matching" && (
          <>
            <input type="hidden" name="match" value="all" />
            {Object.entries(selection.filter).map(([key, value]) =>
              value === undefined ? null : <input key={key} type="hidden" name={`match.${key}`} value={String(value)} />,
            )}
          </>
        )}
        {disabledWhy && (
          <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="traffic-disabled">
            {disabledWhy}
          </p>
        )}
        <fieldset disabled={!canGovern || pending} className="flex flex-wrap items-end gap-4">
          <SelectField label="Change" aria-label="Change" name="mode" value={mode} onChange={(event) => setMode(event.target.value as TTrafficMode)}>
            <option value="weight">Set weight</option>
            <option value="drain">Drain (stop sending traffic)</option>
            <option value="enable">Enable</option>
            <option value="reset">Reset to what it registers</option>
          </SelectField>
          {mode === "weight" && (
            <Field
              label="Weight"
              name="weight"
              type="number"
              min={0}
              max={10000}
              step={1}
              value={weight}
              onChange={(event) => setWeight(event.target.value)}
              error={invalidWeight}
              className="w-28"
            />
          )}
          {mode !== "reset" && (
            <SelectField
              label="Revert after"
              aria-label="Revert after"
              name="expiresIn"
              value={expiresIn}
              onChange={(event) => setExpiresIn(event.target.value)}
            >
              {expiries.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
          )}
          <ReasonField value={reason} onChange={setReason} className="min-w-64" />
        </fieldset>
        {preview && <TrafficPreview preview={preview} />}
        {preview?.refusal && (
          <div
            role="alert"
            className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            <p>Refused unless forced: {preview.refusal.message}.</p>
            <label className="flex items-center gap-2 font-medium">
              <input type="checkbox" name="force" checked={force} onChange={(event) => setForce(event.target.checked)} disabled={!canGovern} />
              Force this change (needs a reason)
            </label>
          </div>
        )}
        {state && !state.ok && <FormError message={state.code === "conflict" ? `${state.error} The page now shows the current state.` : state.error} />}
        {answer && !answer.ok && <FormError message={answer.error} />}
        {state?.ok && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Saved: {state.data.changed.map((row) => `${row.id} ${row.enabled ? `weight ${row.weight}` : "drained"}`).join(", ")}
            {state.data.count > state.data.changed.length ? ` and ${countOf(state.data.count - state.data.changed.length, "more instance")}` : ""}
            {state.data.changed[0]?.expiresAt ? `, until ${formatTime(state.data.changed[0].expiresAt)}` : ""}.
          </p>
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={Boolean(disabledWhy) || Boolean(invalidWeight) || !preview || needsForce || (force && !reason.trim()) || pending}>
            {pending ? "Applying…" : `Apply to ${countOf(applyCount, "instance")}`}
          </Button>
          {force && !reason.trim() && <span className="text-xs text-amber-700 dark:text-amber-400">A forced change needs a reason.</span>}
        </div>
      </form>
    </Card>
  );
}
