import { formatDuration } from "@/lib/duration";

// How the topology writes golden signals: short enough for a node or an edge label.

export function formatRps(rps: number | null): string {
  if (rps === null) return "–";
  if (rps === 0) return "0 rps";
  if (rps < 0.1) return "<0.1 rps";
  // 9.97 is "10 rps", not "10.0 rps".
  return `${rps < 9.95 ? rps.toFixed(1) : Math.round(rps).toLocaleString("en-US")} rps`;
}

export function formatErrorRate(rate: number | null): string {
  if (rate === null) return "–";
  if (rate === 0) return "0%";
  if (rate < 0.001) return "<0.1%";
  return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return "–";
  return ms < 1 ? "<1 ms" : formatDuration(ms);
}

/** "1 min", "30 s": how long the rates are taken over. */
export function formatWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : formatDuration(ms);
}

/** "12 rps · p95 40 ms · 0.5% err", or why there is nothing to show. */
export function formatSignals({ rps, p95, errorRate }: { rps: number | null; p95: number | null; errorRate: number | null }): string {
  if (rps === null) return "no metrics";
  if (rps === 0) return "no traffic";
  return `${formatRps(rps)} · p95 ${formatLatency(p95)} · ${formatErrorRate(errorRate)} err`;
}
