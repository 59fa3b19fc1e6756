"use client";

import { useActionState, useState, useTransition } from "react";
import { Badge, type TTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { failureKinds, webhookKinds } from "@/lib/health/event-filters";
import { addWebhook, removeWebhook } from "./actions";

type TDelivery = {
  id: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
};
type TWebhook = { id: string; url: string; kinds: string[]; deliveries: TDelivery[] };

// Failures are ticked by default; planned maintenance and retirement only when asked for.
const kinds = webhookKinds;
const ticked = new Set<string>(failureKinds);
const statusTones: Record<string, TTone> = { delivered: "good", pending: "warn", failed: "bad" };

export function HealthSettingsClient({ webhooks, canManage, allowedAddresses }: { webhooks: TWebhook[]; canManage: boolean; allowedAddresses: string[] }) {
  const [added, add, adding] = useActionState(addWebhook, undefined);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const run = (action: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? undefined : result.error);
    });

  return (
    <>
      <PageHeader title="Health settings" description="Where failover and outage events are sent, and which addresses health checks may reach." />
      <FormError message={error} />
      <Card title="Webhooks" className="mb-6">
        {canManage && (
          <form
            action={add}
            className="flex flex-wrap items-end gap-4 border-b border-zinc-200 p-4 dark:border-zinc-800"
            key={added?.ok ? "reset" : added?.values?.url}
          >
            <Field
              label="URL"
              name="url"
              type="url"
              required
              placeholder="https://chat.example.com/hooks/oncall"
              className="w-96"
              defaultValue={added?.ok === false ? added.values?.url : undefined}
              error={added?.ok === false ? added.error : undefined}
            />
            <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
              <legend className="mb-1 font-medium">Events</legend>
              {kinds.map((kind) => (
                <label key={kind} className="flex items-center gap-1">
                  <input type="checkbox" name="kinds" value={kind} defaultChecked={ticked.has(kind)} /> {kind}
                </label>
              ))}
            </fieldset>
            <Button type="submit" disabled={adding}>
              Add webhook
            </Button>
          </form>
        )}
        {webhooks.length === 0 ? (
          <EmptyState>
            No webhook yet. Each failover, recovery and outage is posted as JSON to every webhook, retried with backoff until it is accepted.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {webhooks.map((webhook) => (
              <li key={webhook.id} className="p-4">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div>
                    <code className="font-mono text-sm">{webhook.url}</code>
                    <div className="mt-1 flex gap-1">
                      {webhook.kinds.map((kind) => (
                        <Badge key={kind}>{kind}</Badge>
                      ))}
                    </div>
                  </div>
                  {canManage && (
                    <Button
                      variant="danger"
                      disabled={pending}
                      onClick={() => window.confirm(`Stop posting to ${webhook.url}?`) && run(() => removeWebhook({ id: webhook.id }))}
                    >
                      Remove
                    </Button>
                  )}
                </div>
                <Table head={["Delivery", "State", "Attempts", "Answer"]} empty={webhook.deliveries.length === 0 && <EmptyState>Nothing sent yet.</EmptyState>}>
                  {webhook.deliveries.map((delivery) => (
                    <tr key={delivery.id}>
                      <Td className="text-xs">
                        <TimeAgo at={delivery.createdAt} />
                      </Td>
                      <Td>
                        <Badge tone={statusTones[delivery.status] ?? "neutral"}>{delivery.status}</Badge>
                        {delivery.status === "pending" && delivery.attempts > 0 && (
                          <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">
                            retry <TimeAgo at={delivery.nextAttemptAt} />
                          </span>
                        )}
                      </Td>
                      <Td className="tabular-nums">{delivery.attempts}</Td>
                      <Td className="text-xs text-zinc-500 dark:text-zinc-400">{delivery.lastError ?? delivery.responseStatus ?? ""}</Td>
                    </tr>
                  ))}
                </Table>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Address policy">
        <div className="flex flex-wrap items-center justify-between gap-4 p-4 text-sm">
          <p className="max-w-2xl text-zinc-600 dark:text-zinc-400">
            Health checks, metrics scrapes, webhooks, sources and the gateway refuse link-local (169.254.0.0/16, fe80::/10), cloud metadata (fd00:ec2::254) and
            unspecified addresses in every spelling, so a registration cannot make Meshdeck read cloud credentials. The MESHDECK_ALLOWED_ADDRESSES setting
            allows ranges where your services really listen.
          </p>
          <div className="flex items-center gap-3">
            {allowedAddresses.length === 0 ? (
              <Badge tone="good">none allowed</Badge>
            ) : (
              allowedAddresses.map((range) => (
                <Badge key={range} tone="warn">
                  {range} allowed
                </Badge>
              ))
            )}
          </div>
        </div>
      </Card>
    </>
  );
}
