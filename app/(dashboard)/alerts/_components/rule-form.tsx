"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { ServicePicker } from "@/components/ui/service-picker";
import { useTimeZone } from "@/components/time/time-zone";
import type { TAlertPreview } from "@/lib/alerts/preview";
import {
  alertKinds,
  alertSeverities,
  burnWindows,
  exactDuration,
  kindText,
  signalWindows,
  sloWindows,
  ZAlertRule,
  type TAlertKind,
  type TAlertSeverity,
} from "@/lib/alerts/rule-schema";
import { apiUrls } from "@/lib/clients/api-urls";
import { fetchApi } from "@/lib/clients/fetch-api";
import { formatDuration } from "@/lib/duration";
import type { TChartPoint, TTimelineMarker } from "@/lib/metrics/views";
import { timeTicks } from "@/lib/time/axis";
import { formatMs, formatPercent, formatRate } from "@/components/charts/chart-format";
import { SignalChart, type TSignalSeries } from "@/components/charts/signal-chart";
import { createAlertRuleAction, previewAlertRuleAction } from "../actions";

const durationText = (ms: number) => `${ms / 60_000}m`;
const holds = ["0s", "30s", "1m", "2m", "5m", "10m", "15m", "30m", "1h"];

// Where the preview draws each kind's value on the chart, and how it reads.
const previewSeries: Record<Exclude<TAlertKind, "instances">, { series: TSignalSeries; format: (value: number) => string; scale: number }> = {
  "error-rate": { series: { key: "errorRate", name: "error rate", colour: "#f43f5e", area: true }, format: formatPercent, scale: 0.01 },
  p99: { series: { key: "p99", name: "p99", colour: "#8b5cf6" }, format: formatMs, scale: 1 },
  "request-rate": { series: { key: "rps", name: "requests", colour: "#0ea5e9", area: true }, format: formatRate, scale: 1 },
  "burn-rate": { series: { key: "p50", name: "burn rate", colour: "#f59e0b" }, format: (value) => `${Number(value.toPrecision(3))}×`, scale: 1 },
};

type TForm = {
  name: string;
  on: "service" | "tag";
  service: string;
  tag: string;
  kind: TAlertKind;
  threshold: string;
  window: string;
  for: string;
  objective: string;
  sloWindow: string;
  severity: TAlertSeverity;
  previewService: string;
};

function toInput(form: TForm) {
  const burn = form.kind === "burn-rate";
  return {
    name: form.name,
    ...(form.on === "service" ? { service: form.service } : { tag: form.tag }),
    kind: form.kind,
    threshold: Number(form.threshold),
    window: form.window,
    for: form.for,
    ...(burn ? { objective: Number(form.objective), sloWindow: form.sloWindow } : {}),
    severity: form.severity,
  };
}

/** The preview: the rule's value over the last 24 h on the service's chart, the threshold, and where it would have fired. */
function PreviewChart({ preview, kind, threshold }: { preview: TAlertPreview; kind: Exclude<TAlertKind, "instances">; threshold: number }) {
  const zone = useTimeZone();
  const { series, format, scale } = previewSeries[kind];
  const points: TChartPoint[] = preview.points.map((point) => ({
    t: point.t,
    rps: null,
    errorRate: null,
    p50: null,
    p95: null,
    p99: null,
    [series.key]: point.value === null ? null : point.value * scale,
  }));
  const markers: TTimelineMarker[] = preview.firing.flatMap((span) => [
    { at: span.from, kind: "alert", tone: "critical", instanceId: null, label: "would fire" },
    { at: span.to, kind: "alert", tone: "ok", instanceId: null, label: "would resolve" },
  ]);
  const firedMs = preview.firing.reduce((sum, span) => sum + span.to - span.from, 0);
  return (
    <div data-testid="rule-preview">
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-300" data-testid="rule-preview-summary">
        On {preview.service} over the last 24 h this rule would have fired{" "}
        {preview.firing.length === 0 ? "never" : `${preview.firing.length} times, for ${formatDuration(firedMs)} in all`} (evaluated every{" "}
        {exactDuration(preview.stepMs)} here).
      </p>
      <SignalChart
        title={`${series.name}, threshold ${format(threshold * scale)}`}
        points={points}
        series={[series]}
        format={format}
        axis={{ from: preview.from, to: preview.to, ticks: timeTicks({ from: preview.from, to: preview.to, zone }) }}
        markers={markers}
        threshold={threshold * scale}
        showTimeAxis
        height={160}
        testId="rule-preview-chart"
      />
    </div>
  );
}

export function RuleForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState<TForm>({
    name: "",
    on: "service",
    service: "",
    tag: "",
    kind: "error-rate",
    threshold: "5",
    window: "5m",
    for: "2m",
    objective: "99.9",
    sloWindow: "30d",
    severity: "warning",
    previewService: "",
  });
  const set = (changes: Partial<TForm>) => setForm((current) => ({ ...current, ...changes }));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [saving, startSave] = useTransition();
  const [preview, setPreview] = useState<{ preview?: TAlertPreview; error?: string }>({});

  // A rule on a tag previews on the service chosen among those with it, else on the first of them the server finds.
  const tagged = useQuery({
    queryKey: ["service-names", "", form.tag, 1],
    queryFn: () => fetchApi(apiUrls.serviceNames({ q: "", tag: form.tag, limit: 1 })),
    enabled: form.on === "tag" && form.tag.trim() !== "",
    staleTime: 5000,
  });
  const firstTagged = form.on === "tag" && form.tag.trim() !== "" ? tagged.data?.names[0] : undefined;
  const previewOn = form.on === "service" ? form.service : form.previewService || firstTagged;
  const input = toInput({ ...form, name: form.name || "Preview" });
  const valid = ZAlertRule.safeParse(input).success;
  const key = JSON.stringify([input, previewOn]);

  // The preview follows the form, half a second after the last change.
  useEffect(() => {
    if (!valid || !previewOn) return;
    let current = true;
    const timer = setTimeout(() => {
      const [rule] = JSON.parse(key) as [ReturnType<typeof toInput>];
      void previewAlertRuleAction({ rule, service: previewOn }).then((result) => {
        if (current) setPreview(result.ok ? { preview: result.data } : { error: result.error });
      });
    }, 500);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, valid, previewOn]);

  const submit = () =>
    startSave(async () => {
      const result = await createAlertRuleAction(toInput(form));
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        return;
      }
      setError(undefined);
      setFieldErrors({});
      set({ name: "" });
      onCreated();
    });

  const windows = form.kind === "burn-rate" ? burnWindows : signalWindows;
  return (
    <Card title="New rule" className="mb-6">
      <form
        aria-label="New alert rule"
        className="space-y-4 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <FormError message={error} />
        <div className="grid gap-3 sm:grid-cols-3">
          <Field
            label="Name"
            name="name"
            value={form.name}
            onChange={(event) => set({ name: event.target.value })}
            placeholder="OrdersErrors"
            maxLength={100}
            required
            error={fieldErrors.name}
          />
          <SelectField label="On" name="on" value={form.on} onChange={(event) => set({ on: event.target.value as TForm["on"] })}>
            <option value="service">one service</option>
            <option value="tag">every service with a tag</option>
          </SelectField>
          {form.on === "service" ? (
            <ServicePicker
              look="field"
              label="Service"
              name="service"
              value={form.service}
              onChange={(service) => set({ service })}
              error={fieldErrors.service}
            />
          ) : (
            <Field
              label="Tag"
              name="tag"
              value={form.tag}
              onChange={(event) => set({ tag: event.target.value, previewService: "" })}
              placeholder="team=payments"
              maxLength={64}
              error={fieldErrors.tag}
            />
          )}
          <SelectField
            label="Condition"
            name="kind"
            value={form.kind}
            onChange={(event) => {
              const kind = event.target.value as TAlertKind;
              set({ kind, window: kind === "burn-rate" ? "1h" : "5m", threshold: kind === "burn-rate" ? "14.4" : form.threshold });
            }}
          >
            {alertKinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindText[kind].label}
              </option>
            ))}
          </SelectField>
          <Field
            label={`Threshold (${kindText[form.kind].unit})`}
            name="threshold"
            type="number"
            step="any"
            min={0}
            value={form.threshold}
            onChange={(event) => set({ threshold: event.target.value })}
            error={fieldErrors.threshold}
          />
          {form.kind !== "instances" && (
            <SelectField
              label={form.kind === "burn-rate" ? "Long window (short: a twelfth)" : "Over"}
              name="window"
              value={form.window}
              onChange={(event) => set({ window: event.target.value })}
              error={fieldErrors.window}
            >
              {windows.map((ms) => (
                <option key={ms} value={durationText(ms)}>
                  {exactDuration(ms)}
                </option>
              ))}
            </SelectField>
          )}
          {form.kind === "burn-rate" && (
            <>
              <Field
                label="Objective (%)"
                name="objective"
                type="number"
                step="any"
                value={form.objective}
                onChange={(event) => set({ objective: event.target.value })}
                error={fieldErrors.objective}
              />
              <SelectField
                label="Objective over"
                name="sloWindow"
                value={form.sloWindow}
                onChange={(event) => set({ sloWindow: event.target.value })}
                error={fieldErrors.sloWindow}
              >
                {sloWindows.map((ms) => (
                  <option key={ms} value={`${ms / 86_400_000}d`}>
                    {ms / 86_400_000} days
                  </option>
                ))}
              </SelectField>
            </>
          )}
          <SelectField label="For (hold)" name="for" value={form.for} onChange={(event) => set({ for: event.target.value })} error={fieldErrors.for}>
            {holds.map((hold) => (
              <option key={hold} value={hold}>
                {hold === "0s" ? "fire at once" : hold}
              </option>
            ))}
          </SelectField>
          <SelectField label="Severity" name="severity" value={form.severity} onChange={(event) => set({ severity: event.target.value as TAlertSeverity })}>
            {alertSeverities.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </SelectField>
          {form.on === "tag" && firstTagged && (
            <ServicePicker
              look="field"
              label="Preview on"
              name="previewService"
              tag={form.tag}
              value={previewOn ?? ""}
              onChange={(previewService) => set({ previewService })}
            />
          )}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={saving}>
            Create rule
          </Button>
        </div>
        {form.kind === "instances" ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Instance counts are not kept over time: this rule has no preview.</p>
        ) : form.on === "service" && !form.service ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Choose a service to see how the rule would have fired.</p>
        ) : !previewOn ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No service carries this tag yet: nothing to preview.</p>
        ) : !valid ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Complete the rule to see how it would have fired.</p>
        ) : preview.error ? (
          <FormError message={`No preview: ${preview.error}`} />
        ) : preview.preview ? (
          <PreviewChart preview={preview.preview} kind={form.kind} threshold={Number(form.threshold)} />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Reading the last 24 h…</p>
        )}
      </form>
    </Card>
  );
}
