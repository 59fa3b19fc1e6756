"use client";

import { useActionState } from "react";
import { useLiveQuery } from "@/components/live/use-live-query";
import { TimeAgo } from "@/components/ui/time-ago";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TServiceStatusView } from "@/lib/status/queries";
import { StatusBadge } from "../../_components/status-badge";
import { setObjectivesAction } from "../actions";

const round = (value: number, digits: number) => String(Math.round(value * 10 ** digits) / 10 ** digits);

/** The service's status as the collector judged it, why, its recent changes, and its objectives (operators change them). */
export function StatusCard({ initialStatus, canManage }: { initialStatus: TServiceStatusView; canManage: boolean }) {
  const { data, refetch } = useLiveQuery({ url: apiUrls.serviceStatus(initialStatus.service), initialData: initialStatus, intervalMs: 5000 });
  const [state, formAction, saving] = useActionState(async (...args: Parameters<typeof setObjectivesAction>) => {
    const result = await setObjectivesAction(...args);
    if (result?.ok) void refetch();
    return result;
  }, undefined);
  const { status, objectives, history } = data;
  const fieldError = (name: string) => (state && !state.ok ? state.fieldErrors?.[`objectives.${name}`] : undefined);
  return (
    <Card title="Status and objectives" className="mt-6">
      <div className="space-y-3 p-4" data-testid="service-status">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          {status ? (
            <>
              <StatusBadge status={status.status} reason={status.reason} />
              <span>{status.reason}</span>
              <span className="text-zinc-500 dark:text-zinc-400">
                since <TimeAgo at={status.since} />
              </span>
            </>
          ) : (
            <span className="text-zinc-500 dark:text-zinc-400">Not judged yet: the collector computes it every 10 s.</span>
          )}
        </p>
        {history.length > 0 && (
          <ul className="text-xs text-zinc-500 dark:text-zinc-400" aria-label="Status changes">
            {history.slice(0, 5).map((change) => (
              <li key={change.at}>
                <TimeAgo at={change.at} />: {change.from} → {change.to} ({change.reason})
              </li>
            ))}
          </ul>
        )}
        <form action={formAction} aria-label="Objectives" className="grid gap-3 sm:grid-cols-4 sm:items-end">
          <input type="hidden" name="name" value={data.service} />
          {[
            { label: "Errors under (%)", name: "errorRate", value: round(objectives.errorRate * 100, 3), max: 100 },
            { label: "p99 under (ms)", name: "p99Ms", value: round(objectives.p99Ms, 1), max: undefined },
            { label: "Availability over (%)", name: "availability", value: round(objectives.availability * 100, 3), max: 100 },
          ].map(({ label, name, value, max }) => (
            <Field
              key={name}
              label={label}
              name={name}
              type="number"
              step="any"
              min={0}
              max={max}
              defaultValue={value}
              disabled={!canManage}
              error={fieldError(name)}
            />
          ))}
          {canManage && (
            <>
              <Field label="Reason" name="reason" maxLength={500} />
              <div className="sm:col-span-4">
                <Button type="submit" disabled={saving}>
                  Save objectives
                </Button>
              </div>
            </>
          )}
        </form>
        <FormError message={state && !state.ok ? state.error : undefined} />
      </div>
    </Card>
  );
}
