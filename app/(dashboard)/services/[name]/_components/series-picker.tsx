"use client";

import type { TChartSeriesOf } from "@/lib/metrics/views";

/** A series as a select value: "service", "instance:<id>", "edge:<caller>:<callee>" (names hold no ':'). */
export function seriesValue(of: TChartSeriesOf): string {
  if (of.scope === "instance") return `instance:${of.instanceId}`;
  if (of.scope === "edge") return `edge:${of.caller}:${of.callee}`;
  return "service";
}

function parseSeriesValue(value: string): TChartSeriesOf {
  const [scope, ...rest] = value.split(":");
  // Instance ids may hold ':' (10.0.0.7:8080); service names may not.
  if (scope === "instance") return { scope: "instance", instanceId: rest.join(":") };
  if (scope === "edge" && rest.length === 2) return { scope: "edge", caller: rest[0] ?? "", callee: rest[1] ?? "" };
  return { scope: "service" };
}

/** Whole service, one instance, or one edge in or out of the service. */
export function SeriesPicker({
  service,
  value,
  instances,
  peers,
  disabled,
  onChange,
}: {
  service: string;
  value: TChartSeriesOf;
  instances: { id: string; scraped: boolean }[];
  peers: { callers: string[]; callees: string[] };
  disabled: boolean;
  onChange: (of: TChartSeriesOf) => void;
}) {
  const selected = seriesValue(value);
  const callers = [...new Set([...peers.callers, ...(value.scope === "edge" && value.callee === service ? [value.caller] : [])])];
  const callees = [...new Set([...peers.callees, ...(value.scope === "edge" && value.caller === service ? [value.callee] : [])])];
  return (
    <label className="inline-flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
      <span className="hidden sm:inline">Series</span>
      <select
        aria-label="Series"
        value={selected}
        disabled={disabled}
        onChange={(event) => onChange(parseSeriesValue(event.target.value))}
        className="max-w-56 rounded-md border border-zinc-200 bg-white py-1 pl-2 pr-7 text-xs font-medium text-zinc-800 shadow-sm focus:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
      >
        <option value="service">Whole service</option>
        {instances.length > 0 && (
          <optgroup label="Instances">
            {instances.map((instance) => (
              <option key={instance.id} value={`instance:${instance.id}`}>
                {instance.id}
                {instance.scraped ? "" : " (not scraped)"}
              </option>
            ))}
          </optgroup>
        )}
        {callers.length > 0 && (
          <optgroup label="Calls in">
            {callers.map((caller) => (
              <option key={caller} value={`edge:${caller}:${service}`}>{`${caller} → ${service}`}</option>
            ))}
          </optgroup>
        )}
        {callees.length > 0 && (
          <optgroup label="Calls out">
            {callees.map((callee) => (
              <option key={callee} value={`edge:${service}:${callee}`}>{`${service} → ${callee}`}</option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}
