"use client";

import { useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import { useHydrated } from "@/components/health/use-hydrated";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import type { TMetricsSettings } from "@/lib/metrics/metrics-settings";
import { saveMetricsSettings, type TSaveMetricsState } from "./actions";

// The intervals the settings schema accepts: each 10 s rollup window must hold whole scrapes.
const intervals = ["1s", "2s", "5s", "10s"];

type TNameField =
  "names.serverDuration" | "names.serverRequests" | "names.clientDuration" | "names.clientRequests" | "names.statusLabels" | "names.calleeLabel";
/** The form as the browser holds it, named as the schema's paths: every field a string, lists comma-separated. */
type TFormValues = Partial<Record<"source" | "prometheusUrl" | "interval" | "timeout" | TNameField, string>>;

const nameFields: { name: TNameField; label: string; help: string }[] = [
  {
    name: "names.serverDuration",
    label: "Server latency",
    help: "Histograms or summaries in seconds, base names (no _bucket, _count, _sum); their _count gives the requests.",
  },
  { name: "names.serverRequests", label: "Server requests", help: "Request counters, used when an instance exports none of the latency metrics." },
  {
    name: "names.clientDuration",
    label: "Client latency",
    help: "Callers' histograms or summaries in seconds, labelled with the callee: they make the edges.",
  },
  { name: "names.clientRequests", label: "Client requests", help: "Callers' request counters, labelled with the callee." },
  {
    name: "names.statusLabels",
    label: "Status labels",
    help: "Labels holding the HTTP status; the first one present wins; 5xx, or 0 for no answer, counts as an error.",
  },
  { name: "names.calleeLabel", label: "Callee label", help: "The label naming the called service on client metrics (one label)." },
];

type TNotice = { ok: boolean; text: string };

// "5s" rather than "5000": the way the settings are documented and typed back.
function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function toFormValues(settings: TMetricsSettings): TFormValues {
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

/** A bad entry of a list is reported on the list's input (`names.statusLabels.2` -> `names.statusLabels`), naming the entry. */
function errorsByField(fieldErrors: Record<string, string>, values: TFormValues): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const [, field, index] = /^(names\.\w+)\.(\d+)$/.exec(path) ?? [];
    const list = nameFields.find(({ name }) => name === field)?.name;
    const entry = list
      ? values[list]
          ?.split(",")
          .map((item) => item.trim())
          .filter(Boolean)[Number(index)]
      : undefined;
    byField[field ?? path] ??= entry === undefined ? message : `"${entry}" ${message}`;
  }
  return byField;
}

function noticeOf(state: NonNullable<TSaveMetricsState>): TNotice {
  if (state.ok) {
    const { prometheus } = state.data;
    const answered = prometheus ? ` Prometheus answered: ${prometheus.up} of ${prometheus.targets} targets up.` : "";
    return { ok: true, text: `Saved; the collector uses these settings within a few seconds.${answered}` };
  }
  return { ok: false, text: state.fieldErrors ? "Not saved: see the fields marked in red." : `Not saved: ${state.error}` };
}

function Help({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
      {children}
    </p>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{children}</code>;
}

function SourceOption({
  value,
  title,
  defaultChecked,
  onChoose,
  children,
}: {
  value: string;
  title: string;
  defaultChecked: boolean;
  onChoose: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex cursor-pointer gap-3 rounded-md border border-zinc-200 p-3 text-sm hover:border-zinc-400 has-checked:border-zinc-900 has-checked:bg-zinc-50 has-disabled:cursor-default dark:border-zinc-700 dark:has-checked:border-zinc-300 dark:has-checked:bg-zinc-800">
      <input type="radio" name="source" value={value} defaultChecked={defaultChecked} onChange={() => onChoose(value)} className="mt-0.5" />
      <span>
        <span className="block font-medium">{title}</span>
        <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">{children}</span>
      </span>
    </label>
  );
}

// Edges need no setting but the callee label; how they are found is said here so admins need not read the docs.
function EdgesHelp({ calleeLabel }: { calleeLabel: string }) {
  const term = "font-medium text-zinc-900 dark:text-zinc-100";
  return (
    <Card title="Edges between services" className="mt-6 max-w-4xl">
      <ul className="list-disc space-y-2 py-4 pl-9 pr-4 text-sm text-zinc-600 dark:text-zinc-400">
        <li>
          <span className={term}>Client metrics:</span> a caller&apos;s client latency and request series labelled{" "}
          <Code>{calleeLabel}=&quot;payments&quot;</Code> make the edge caller → payments, with its own rate, errors and latency.
        </li>
        <li>
          <span className={term}>Istio:</span> <Code>istio_requests_total</Code> and <Code>istio_request_duration_milliseconds</Code> are always read, whatever
          the names above: series reported by the source proxy give the edge to <Code>destination_canonical_service</Code>, with the status in{" "}
          <Code>response_code</Code>.
        </li>
        <li>
          <span className={term}>Declared dependencies:</span> an instance&apos;s <Code>dependencies</Code> metadata (comma-separated service names) draws the
          edge even while no traffic flows.
        </li>
      </ul>
    </Card>
  );
}

type TFormProps = {
  values: TFormValues;
  defaults: TFormValues;
  errors: Record<string, string>;
  canManage: boolean;
  save: (form: FormData) => void;
  saving: boolean;
  notice?: TNotice;
  onReset?: () => void;
};

function SettingsForm({ values, defaults, errors, canManage, save, saving, notice, onReset }: TFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const [source, setSource] = useState(values.source);
  const scraping = source !== "prometheus";
  // A source chosen before the page's JavaScript loaded is in the DOM only.
  useEffect(() => {
    const chosen = formRef.current?.querySelector<HTMLInputElement>('input[name="source"]:checked')?.value;
    if (chosen) setSource(chosen);
  }, []);

  return (
    <form ref={formRef} action={save} className="max-w-4xl space-y-6" aria-label="Metrics settings">
      {/* Field has no disabled style; a viewer should not take the inputs for editable ones. */}
      <fieldset
        disabled={!canManage}
        className="min-w-0 space-y-6 [&_:is(input,select):disabled]:bg-zinc-50 [&_:is(input,select):disabled]:text-zinc-600 dark:[&_:is(input,select):disabled]:bg-zinc-900 dark:[&_:is(input,select):disabled]:text-zinc-400"
      >
        <Card title="Collection">
          <div className="space-y-5 p-4">
            <fieldset>
              <legend className="text-sm font-medium">Source</legend>
              <div className="mt-1 grid gap-3 md:grid-cols-2">
                <SourceOption value="scrape" title="Scrape each instance's endpoint" defaultChecked={values.source !== "prometheus"} onChoose={setSource}>
                  The collector GETs each instance&apos;s metrics endpoint: the <Code>metrics</Code> path of its registration, <Code>/metrics</Code> by default.
                </SourceOption>
                <SourceOption value="prometheus" title="Read from a Prometheus server" defaultChecked={values.source === "prometheus"} onChoose={setSource}>
                  Where a Prometheus already scrapes the fleet: the latest samples of the names below, matched to instances by its <Code>instance</Code> label.
                </SourceOption>
              </div>
              {errors.source && <p className="mt-1 text-xs text-rose-600 dark:text-rose-400">{errors.source}</p>}
            </fieldset>
            {/* Read-only rather than disabled, so the URL is still sent and kept for when Prometheus is chosen again. */}
            <div className={cn(scraping && "[&_input]:bg-zinc-100 [&_input]:text-zinc-600 dark:[&_input]:bg-zinc-900 dark:[&_input]:text-zinc-400")}>
              <Field
                label="Prometheus URL"
                name="prometheusUrl"
                type="url"
                placeholder="http://prometheus:9090"
                readOnly={scraping}
                defaultValue={values.prometheusUrl}
                error={errors.prometheusUrl}
                aria-describedby="prometheus-url-help"
              />
              <Help id="prometheus-url-help">
                Prometheus&apos;s base URL, for reading from Prometheus. Saving asks it for <Code>up</Code> and is refused if it does not answer.
              </Help>
            </div>
            <div className="grid gap-5 md:grid-cols-2">
              <div>
                <SelectField label="Scrape interval" name="interval" defaultValue={values.interval} error={errors.interval} aria-describedby="interval-help">
                  {intervals.map((interval) => (
                    <option key={interval} value={interval}>
                      {interval}
                    </option>
                  ))}
                </SelectField>
                <Help id="interval-help">How often each instance is scraped, or Prometheus read. Default {defaults.interval}.</Help>
              </div>
              <div>
                <Field label="Timeout" name="timeout" required defaultValue={values.timeout} error={errors.timeout} aria-describedby="timeout-help" />
                <Help id="timeout-help">
                  How long one scrape or query may take, such as <Code>800ms</Code> or <Code>2s</Code>; shorter than the interval. Default {defaults.timeout}.
                </Help>
              </div>
            </div>
          </div>
        </Card>

        <Card title="Metric names and labels">
          <p className="px-4 pt-4 text-sm text-zinc-600 dark:text-zinc-400">
            Comma-separated lists. From these the collector derives request rate, error rate (5xx share) and latency p50 / p95 / p99 per instance, service and
            edge.
          </p>
          <div className="space-y-5 p-4">
            {nameFields.map((field) => (
              <div key={field.name}>
                <Field
                  label={field.label}
                  name={field.name}
                  required
                  defaultValue={values[field.name]}
                  error={errors[field.name]}
                  spellCheck={false}
                  aria-describedby={`${field.name}-help`}
                />
                <Help id={`${field.name}-help`}>
                  {field.help} Default: <Code>{defaults[field.name]}</Code>
                </Help>
              </div>
            ))}
          </div>
        </Card>
      </fieldset>

      {canManage && (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={saving}>
            {saving ? "Saving…" : "Save settings"}
          </Button>
          {/* Filling in the defaults needs JavaScript: the button stays disabled until the page has it. */}
          <Button type="button" variant="secondary" disabled={saving || !onReset} onClick={onReset}>
            Reset to defaults
          </Button>
          {notice?.ok && (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              {notice.text}
            </p>
          )}
        </div>
      )}
      {notice && !notice.ok && <FormError message={notice.text} />}
    </form>
  );
}

type TShownForm = { values: TFormValues; version: number; notice?: TNotice; errors: Record<string, string> };

// A save shows the settings as stored; a refusal what was typed, with the errors.
function shownForm(state: TSaveMetricsState, values: TFormValues, version: number): TShownForm {
  if (!state) return { values, version, errors: {} };
  const shown = state.ok ? toFormValues(state.data.settings) : (state.values ?? values);
  return { values: shown, version, notice: noticeOf(state), errors: state.ok === false && state.fieldErrors ? errorsByField(state.fieldErrors, shown) : {} };
}

export function MetricsSettingsClient({ settings, defaults, canManage }: { settings: TMetricsSettings; defaults: TMetricsSettings; canManage: boolean }) {
  const [state, save, saving] = useActionState(saveMetricsSettings, undefined);
  // Each answer (or a reset) remounts the form with its values, since React resets a form after its action.
  const [form, setForm] = useState(() => shownForm(state, toFormValues(settings), 0));
  const [answered, setAnswered] = useState(state);
  if (state !== answered) {
    setAnswered(state);
    if (state) setForm(shownForm(state, form.values, form.version + 1));
  }
  const hydrated = useHydrated();
  const reset = () =>
    setForm({ values: toFormValues(defaults), version: form.version + 1, notice: { ok: true, text: "Defaults filled in; save to apply them." }, errors: {} });

  return (
    <>
      <PageHeader
        title="Metrics settings"
        description="Where the collector reads request rate, errors and latency from, how often, and which metric names and labels it reads."
      />
      {!canManage && (
        <p className="mb-6 max-w-4xl rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          Read-only: only admins change metrics settings.
        </p>
      )}
      <SettingsForm
        key={form.version}
        values={form.values}
        defaults={toFormValues(defaults)}
        errors={form.errors}
        canManage={canManage}
        save={save}
        saving={saving}
        notice={form.notice}
        onReset={hydrated ? reset : undefined}
      />
      <EdgesHelp calleeLabel={form.values["names.calleeLabel"] ?? ""} />
    </>
  );
}
