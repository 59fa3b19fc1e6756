"use server";

import { revalidatePath } from "next/cache";
import type { TActionResult } from "@/lib/actions/action-result";
import { safeAction } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";
import { checkPrometheus } from "@/lib/metrics/check-prometheus";
import { setMetricsSettings, ZMetricsSettings } from "@/lib/metrics/metrics-settings";
import { errorsByField, readFormValues, toFormValues, toSettingsInput, type TMetricsFormValues } from "./form-values";

// The check runs within the collector's own timeout, so a Prometheus too slow for it is refused too; capped to keep the form quick.
const maxCheckMs = 3000;

const saveMetricsSettings = safeAction({ permission: "metrics.manage", schema: ZMetricsSettings }, async ({ input, user }) => {
  let prometheus: { targets: number; up: number } | null = null;
  if (input.source === "prometheus" && input.prometheusUrl) {
    const check = await checkPrometheus({ url: input.prometheusUrl, timeoutMs: Math.min(input.timeout, maxCheckMs) });
    if (!check.ok) throw new AppError("validation_failed", `Prometheus did not answer: ${check.reason}`, "prometheusUrl");
    prometheus = { targets: check.targets, up: check.up };
  }
  await setMetricsSettings({ actor: user, settings: input });
  revalidatePath("/settings/metrics");
  return { prometheus, values: toFormValues(input) };
});

// What was typed comes back with a refusal, so the form keeps it; a save returns the settings as stored.
export type TSaveMetricsState = (TActionResult<{ prometheus: { targets: number; up: number } | null }> & { values: TMetricsFormValues }) | undefined;

// A form action, so saving works before the page's JavaScript has loaded.
export async function saveMetricsSettingsFromForm(_previous: TSaveMetricsState, form: FormData): Promise<TSaveMetricsState> {
  const values = readFormValues(form);
  // The cast only names the source's type; the schema checks every value.
  const result = await saveMetricsSettings(toSettingsInput(values) as Parameters<typeof saveMetricsSettings>[0]);
  if (result.ok) return { ok: true, data: { prometheus: result.data.prometheus }, values: result.data.values };
  return { ...result, fieldErrors: result.fieldErrors && errorsByField(result.fieldErrors, values), values };
}
