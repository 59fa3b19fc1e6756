import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { defaultMetricsSettings, getMetricsSettings } from "@/lib/metrics/metrics-settings";
import { MetricsSettingsClient } from "./page-client";

export const metadata: Metadata = { title: "Metrics settings" };

export default async function MetricsSettingsPage() {
  const user = await requirePageUser();
  const settings = await getMetricsSettings();
  return <MetricsSettingsClient canManage={can({ role: user.role, permission: "metrics.manage" })} settings={settings} defaults={defaultMetricsSettings} />;
}
