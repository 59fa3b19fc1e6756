"use client";

import Link from "next/link";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge, type TTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import type { TActiveAlert } from "@/lib/alerts/queries";
import { formatAlertValue } from "@/lib/alerts/rule-schema";
import { apiUrls } from "@/lib/clients/api-urls";

const severityTones: Record<string, TTone> = { critical: "bad", warning: "warn", info: "info" };

/** One alert pending or firing: its state, severity, rule and service, since when, and its value then. */
export function AlertRow({ alert, showService = true }: { alert: TActiveAlert; showService?: boolean }) {
  return (
    <li data-testid="active-alert" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
      <Badge tone={alert.state === "firing" ? (severityTones[alert.severity] ?? "neutral") : "neutral"}>{alert.state}</Badge>
      <Badge tone="neutral">{alert.severity}</Badge>
      <span className="font-medium">{alert.rule}</span>
      {showService && (
        <Link href={`/services/${encodeURIComponent(alert.service)}`} className="underline">
          {alert.service}
        </Link>
      )}
      <span className="text-zinc-500 dark:text-zinc-400">
        {formatAlertValue(alert.kind, alert.value)}, since <TimeAgo at={alert.activeAt} />
      </span>
      {alert.silenced && <Badge tone="warn">silenced</Badge>}
    </li>
  );
}

/**
 * The alerts pending or firing now, of one service or the fleet, kept live; nothing at all while none is: the overview
 * and the service page show it only when there is something to see.
 */
export function FiringAlerts({ service, initial }: { service?: string; initial?: { active: TActiveAlert[]; activeTotal: number } }) {
  const { data } = useLiveQuery({
    url: apiUrls.alerts(service ? `service=${encodeURIComponent(service)}&limit=1` : "limit=1"),
    initialData: { active: initial?.active ?? [], activeTotal: initial?.activeTotal ?? 0, history: [], nextCursor: null },
    intervalMs: 5000,
  });
  if (data.active.length === 0) return null;
  const firing = data.active.filter((alert) => alert.state === "firing").length;
  return (
    <Card
      title={`Alerts: ${firing} firing, ${data.activeTotal - firing} pending`}
      className="mb-6 mt-6"
      action={
        <Link href="/alerts" className="text-xs text-zinc-500 hover:underline dark:text-zinc-400">
          All alerts
        </Link>
      }
    >
      <ul data-testid="firing-alerts" className="divide-y divide-zinc-100 px-4 dark:divide-zinc-800">
        {data.active.map((alert) => (
          <AlertRow key={`${alert.ruleId}-${alert.service}`} alert={alert} showService={!service} />
        ))}
      </ul>
      {data.activeTotal > data.active.length && (
        <p className="px-4 pb-3 text-xs text-zinc-500 dark:text-zinc-400">and {data.activeTotal - data.active.length} more</p>
      )}
    </Card>
  );
}
