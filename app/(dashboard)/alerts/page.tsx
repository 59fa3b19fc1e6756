import type { Metadata } from "next";
import { listAlertmanagerSilences } from "@/lib/alerts/alertmanager";
import { listActiveAlerts, listAlertHistory, parseAlertFilters } from "@/lib/alerts/queries";
import { listAlertRules } from "@/lib/alerts/rules";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { AlertsClient } from "./page-client";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const user = await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  const [rules, active, history, silences] = await Promise.all([
    listAlertRules(),
    listActiveAlerts(),
    listAlertHistory({ filters: parseAlertFilters(new URLSearchParams()) }),
    listAlertmanagerSilences(),
  ]);
  return (
    <AlertsClient
      initialRules={rules}
      initialAlerts={{ active: active.alerts, activeTotal: active.total, ...history }}
      alertmanager={silences}
      canManage={can({ role: user.role, permission: "alerts.manage" })}
    />
  );
}
