"use client";

import { useState, useTransition } from "react";
import { AlertRow } from "@/components/alerts/firing-alerts";
import { LiveIndicator } from "@/components/live/live-indicator";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, Table, Td } from "@/components/ui/table";
import { TimeAgo, TimeUntil } from "@/components/ui/time-ago";
import type { TAlertmanagerSilence } from "@/lib/alerts/alertmanager";
import type { TActiveAlert, TAlertChange } from "@/lib/alerts/queries";
import { describeRule, type TAlertRule } from "@/lib/alerts/rule-schema";
import { apiUrls } from "@/lib/clients/api-urls";
import { deleteAlertRuleAction } from "./actions";
import { RuleForm } from "./_components/rule-form";

type TAlertsPage = { active: TActiveAlert[]; activeTotal: number; history: TAlertChange[]; nextCursor: string | null };
type TProps = {
  initialRules: TAlertRule[];
  initialAlerts: TAlertsPage;
  alertmanager: { silences: TAlertmanagerSilence[]; more: number; error: string | null } | null;
  canManage: boolean;
};

export function AlertsClient({ initialRules, initialAlerts, alertmanager, canManage }: TProps) {
  const rules = useLiveQuery({ url: apiUrls.alertRules(), initialData: { rules: initialRules }, intervalMs: 5000 });
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before.at(-1);
  const alerts = useLiveQuery({
    url: apiUrls.alerts(cursor ? `before=${cursor}` : ""),
    initialData: initialAlerts,
    initialUrl: apiUrls.alerts(""),
    intervalMs: 3000,
  });
  const [error, setError] = useState<string>();
  const [deleting, startDelete] = useTransition();
  const remove = (rule: TAlertRule) =>
    startDelete(async () => {
      const result = await deleteAlertRuleAction({ id: rule.id });
      setError(result.ok ? undefined : result.error);
      await rules.refetch();
    });

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Rules on the golden signals, evaluated every 15 s from the rollups; firing alerts go to Alertmanager and to webhooks."
        action={<LiveIndicator live={[rules, alerts]} />}
      />
      <Card title={`Pending and firing (${alerts.data.activeTotal})`} className="mb-6">
        {alerts.data.active.length === 0 ? (
          <EmptyState>No alert is pending or firing.</EmptyState>
        ) : (
          <ul data-testid="firing-alerts" className="divide-y divide-zinc-100 px-4 dark:divide-zinc-800">
            {alerts.data.active.map((alert) => (
              <AlertRow key={`${alert.ruleId}-${alert.service}`} alert={alert} />
            ))}
          </ul>
        )}
      </Card>

      <Card
        title={`Rules (${rules.data.rules.length})`}
        className="mb-6"
        action={
          <a href={apiUrls.alertRulesExport()} className="text-xs text-zinc-500 hover:underline dark:text-zinc-400" download>
            Export as Prometheus rules
          </a>
        }
      >
        <FormError message={error} />
        <Table head={["Name", "On", "Condition", "Severity", ""]} empty={rules.data.rules.length === 0 && <EmptyState>No rule yet.</EmptyState>}>
          {rules.data.rules.map((rule) => (
            <tr key={rule.id} data-testid="alert-rule">
              <Td className="font-medium">
                {rule.name}
                {!rule.enabled && <Badge tone="neutral">disabled</Badge>}
              </Td>
              <Td>{rule.service ?? `tag ${rule.tag}`}</Td>
              <Td className="min-w-64">{describeRule(rule)}</Td>
              <Td>{rule.severity}</Td>
              <Td>
                {canManage && (
                  <Button variant="danger" disabled={deleting} onClick={() => remove(rule)} aria-label={`Delete ${rule.name}`}>
                    Delete
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>

      {canManage && <RuleForm onCreated={() => void rules.refetch()} />}

      <Card title="History" className="mb-6">
        {alerts.data.history.length === 0 ? (
          <EmptyState>No alert has changed state yet.</EmptyState>
        ) : (
          <ul data-testid="alert-history" className="divide-y divide-zinc-100 px-4 dark:divide-zinc-800">
            {alerts.data.history.map((change) => (
              <li key={change.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
                <span className="text-zinc-500 dark:text-zinc-400">
                  <TimeAgo at={change.at} />
                </span>
                <Badge tone={change.to === "firing" ? "bad" : change.to === "resolved" ? "good" : "neutral"}>
                  {change.from} → {change.to}
                </Badge>
                <span className="font-medium">{change.rule}</span>
                <span className="min-w-0 flex-1 text-zinc-600 dark:text-zinc-300">{change.summary}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="flex gap-2 px-4 py-3">
          {before.length > 0 && (
            <Button variant="secondary" onClick={() => setBefore(before.slice(0, -1))}>
              Newer
            </Button>
          )}
          {alerts.data.nextCursor && (
            <Button variant="secondary" onClick={() => setBefore([...before, alerts.data.nextCursor!])}>
              Older
            </Button>
          )}
        </div>
      </Card>

      {alertmanager && (
        <Card title="Alertmanager silences" className="mb-6">
          <div className="p-4 text-sm" data-testid="alertmanager-silences">
            <FormError message={alertmanager.error ? `Alertmanager's silences could not be read: ${alertmanager.error}` : undefined} />
            {!alertmanager.error && alertmanager.silences.length === 0 && (
              <p className="text-zinc-500 dark:text-zinc-400">No silence in force in Alertmanager.</p>
            )}
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {alertmanager.silences.map((silence) => (
                <li key={silence.id} className="flex flex-wrap gap-x-3 gap-y-1 py-2">
                  <code className="break-all text-xs">
                    {silence.matchers.map((m) => `${m.name}${m.isEqual === false ? "!" : ""}${m.isRegex ? "=~" : "="}"${m.value}"`).join(", ")}
                  </code>
                  <span className="text-zinc-500 dark:text-zinc-400">
                    ends <TimeUntil at={silence.endsAt} />
                  </span>
                  <span className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-300">
                    {silence.comment} ({silence.createdBy})
                  </span>
                </li>
              ))}
            </ul>
            {alertmanager.more > 0 && <p className="text-xs text-zinc-500 dark:text-zinc-400">and {alertmanager.more} more</p>}
          </div>
        </Card>
      )}
    </>
  );
}
