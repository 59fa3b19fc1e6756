"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { TimeUntil } from "@/components/ui/time-ago";
import { apiUrls } from "@/lib/clients/api-urls";
import type { TSilenceView } from "@/lib/notify/silences";
import { addServiceSilence, liftServiceSilence, retireServiceAction } from "../actions";

const durations = [
  ["30m", "30 minutes"],
  ["1h", "1 hour"],
  ["4h", "4 hours"],
  ["1d", "1 day"],
  ["7d", "7 days"],
] as const;

/** Silences in force on the service, a form to add one, and the lift button: problems still show, nothing is sent. */
export function SilencesCard({ service, initialSilences, canManage }: { service: string; initialSilences: TSilenceView[]; canManage: boolean }) {
  const { data, refetch } = useLiveQuery({ url: apiUrls.serviceSilences(service), initialData: { silences: initialSilences }, intervalMs: 5000 });
  const [state, formAction, adding] = useActionState(async (...args: Parameters<typeof addServiceSilence>) => {
    const result = await addServiceSilence(...args);
    if (result?.ok) void refetch();
    return result;
  }, undefined);
  const [error, setError] = useState<string>();
  const [lifting, startLift] = useTransition();
  const lift = (id: string) =>
    startLift(async () => {
      const result = await liftServiceSilence({ id });
      setError(result.ok ? undefined : result.error);
      await refetch();
    });

  return (
    <Card title="Silences" className="mt-6">
      <div className="space-y-3 p-4" data-testid="silences">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A silenced service or instance still shows its problems, marked silenced, but sends no notification.
        </p>
        {data.silences.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No silence in force.</p>
        ) : (
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {data.silences.map((silence) => (
              <li key={silence.id} data-testid="silence" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <Badge tone="warn">silenced</Badge>
                <span className="font-medium">{silence.instanceId ?? "whole service"}</span>
                <span className="text-zinc-500 dark:text-zinc-400">
                  ends <TimeUntil at={silence.endsAt} />
                </span>
                <span className="min-w-0 flex-1 truncate text-zinc-500 dark:text-zinc-400" title={silence.reason}>
                  {silence.reason} ({silence.createdBy})
                </span>
                {canManage && (
                  <Button variant="secondary" disabled={lifting} onClick={() => lift(silence.id)}>
                    Lift
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        <FormError message={error ?? (state && !state.ok ? state.error : undefined)} />
        {canManage && (
          <form action={formAction} aria-label="Silence" className="grid gap-3 sm:grid-cols-[10rem_10rem_1fr_auto] sm:items-end">
            <input type="hidden" name="service" value={service} />
            <Field
              label="Instance"
              name="instanceId"
              placeholder="all instances"
              maxLength={256}
              error={state && !state.ok ? state.fieldErrors?.["silence.instanceId"] : undefined}
            />
            <SelectField label="For" name="duration" defaultValue="1h">
              {durations.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
            <Field
              label="Reason"
              name="reason"
              required
              maxLength={500}
              placeholder="why, for the audit log"
              error={state && !state.ok ? state.fieldErrors?.["silence.reason"] : undefined}
            />
            <Button type="submit" disabled={adding}>
              Silence
            </Button>
          </form>
        )}
      </div>
    </Card>
  );
}

/** Retiring: for a service with no instance alive; the server checks again (and the role) whatever this shows. */
export function RetireCard({ service, instances }: { service: string; instances: number }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const retire = () =>
    start(async () => {
      const result = await retireServiceAction({ name: service, reason });
      if (!result.ok) return setError(result.error);
      router.push("/services");
    });
  return (
    <Card title="Retire" className="mt-6">
      <div className="space-y-3 p-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Removes {service} from the catalog. Its events, incidents and audit records are kept. Only a service with no instance, or only stale ones (failing for
          over 5 min), can be retired{instances > 0 ? `; it has ${instances}.` : "."}
        </p>
        <FormError message={error} />
        <div className="flex flex-wrap items-end gap-3">
          <Field
            label="Reason"
            name="retireReason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={500}
            placeholder="why, for the audit log"
            className="flex-1"
          />
          <Button variant="danger" disabled={pending || !reason.trim()} onClick={retire}>
            Retire service
          </Button>
        </div>
      </div>
    </Card>
  );
}
