import type { TMetricsSettings } from "@/lib/metrics/metrics-settings";

// Named as the schema's paths, so a field error's key is the name of the input it belongs to.
export const listFields = ["names.serverDuration", "names.serverRequests", "names.clientDuration", "names.clientRequests", "names.statusLabels"] as const;
const fields = ["source", "prometheusUrl", "interval", "timeout", ...listFields, "names.calleeLabel"] as const;

/** The form as the browser holds it: every field a string, lists comma-separated. */
export type TMetricsFormValues = Record<(typeof fields)[number], string>;

// "5s" rather than "5000": the way the settings are documented and typed back.
function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function toFormValues(settings: TMetricsSettings): TMetricsFormValues {
  const { names } = settings;
  return {
    source: settings.source,
    prometheusUrl: settings.prometheusUrl ?? "",
    interval: durationText(settings.interval),
    timeout: durationText(settings.timeout),
    "names.serverDuration": names.serverDuration.join(", "),
    "names.serverRequests": names.serverRequests.join(", "),
    "names.clientDuration": names.clientDuration.join(", "),
    "names.clientRequests": names.clientRequests.join(", "),
    "names.statusLabels": names.statusLabels.join(", "),
    "names.calleeLabel": names.calleeLabel,
  };
}

export function readFormValues(form: FormData): TMetricsFormValues {
  return Object.fromEntries(fields.map((field) => [field, String(form.get(field) ?? "").trim()])) as TMetricsFormValues;
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** What the settings schema takes; it, not this, decides what is valid. */
export function toSettingsInput(values: TMetricsFormValues) {
  return {
    source: values.source,
    prometheusUrl: values.prometheusUrl || null,
    interval: values.interval,
    timeout: values.timeout,
    names: {
      serverDuration: splitList(values["names.serverDuration"]),
      serverRequests: splitList(values["names.serverRequests"]),
      clientDuration: splitList(values["names.clientDuration"]),
      clientRequests: splitList(values["names.clientRequests"]),
      statusLabels: splitList(values["names.statusLabels"]),
      calleeLabel: values["names.calleeLabel"],
    },
  };
}

/** A bad entry of a list is reported on the list's input (`names.statusLabels.2` -> `names.statusLabels`), naming the entry. */
export function errorsByField(fieldErrors: Record<string, string>, values: TMetricsFormValues): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const [, field, index] = /^(names\.\w+)\.(\d+)$/.exec(path) ?? [];
    const entry = field ? splitList(values[field as keyof TMetricsFormValues] ?? "")[Number(index)] : undefined;
    byField[field ?? path] ??= entry === undefined ? message : `"${entry}" ${message}`;
  }
  return byField;
}
