"use server";

import { revalidatePath } from "next/cache";
import { formText, safeFormAction, type TFormState } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";
import { checkPrometheus } from "@/lib/metrics/scrape/check-prometheus";
import { setMetricsSettings, ZMetricsSettings, type TMetricsSettings } from "@/lib/metrics/metrics-settings";

// The check runs within the collector's own timeout, so a Prometheus too slow for it is refused too; capped to keep the form quick.
const maxCheckMs = 3000;

// Names are comma-separated in the form.
function formList(form: FormData, name: string): string[] {
  return formText(form, name)
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

// A save answers with the settings as stored; a refusal with what was typed, so the form keeps it.
export type TSaveMetricsState = TFormState<{ prometheus: { targets: number; up: number } | null; settings: TMetricsSettings }>;

export const saveMetricsSettings = safeFormAction(
  {
    permission: "metrics.manage",
    schema: ZMetricsSettings,
    // Named as the schema's paths, so a field error's key is the name of the input it belongs to.
    readForm: (form) => ({
      source: formText(form, "source").trim(),
      prometheusUrl: formText(form, "prometheusUrl").trim() || null,
      interval: formText(form, "interval").trim(),
      timeout: formText(form, "timeout").trim(),
      names: {
        serverDuration: formList(form, "names.serverDuration"),
        serverRequests: formList(form, "names.serverRequests"),
        clientDuration: formList(form, "names.clientDuration"),
        clientRequests: formList(form, "names.clientRequests"),
        statusLabels: formList(form, "names.statusLabels"),
        calleeLabel: formText(form, "names.calleeLabel").trim(),
      },
    }),
    keep: [
      "source",
      "prometheusUrl",
      "interval",
      "timeout",
      "names.serverDuration",
      "names.serverRequests",
      "names.clientDuration",
      "names.clientRequests",
      "names.statusLabels",
      "names.calleeLabel",
    ],
  },
  async ({ input, user }) => {
    let prometheus: { targets: number; up: number } | null = null;
    if (input.source === "prometheus" && input.prometheusUrl) {
      const check = await checkPrometheus({ url: input.prometheusUrl, timeoutMs: Math.min(input.timeout, maxCheckMs) });
      if (!check.ok) throw new AppError("validation_failed", `Prometheus did not answer: ${check.reason}`, "prometheusUrl");
      prometheus = { targets: check.targets, up: check.up };
    }
    await setMetricsSettings({ actor: user, settings: input });
    revalidatePath("/settings/metrics");
    return { prometheus, settings: input };
  },
);
