import { healthColor, trafficColor, errorThresholds } from "./topology-colors";

const percent = (share: number) => `${share * 100}%`;

// What the colours and dashes mean, in the corner of the graph.
export function TopologyLegend({ dense }: { dense: boolean }) {
  const line = (color: string, dashed = false) => (
    <svg width="22" height="8" aria-hidden>
      <line x1="0" y1="4" x2="22" y2="4" stroke={color} strokeWidth="2.5" strokeDasharray={dashed ? "4 3" : undefined} />
    </svg>
  );
  return (
    <div className="space-y-1.5 rounded-md border border-zinc-200 bg-white/90 px-3 py-2 text-[11px] text-zinc-600 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/90 dark:text-zinc-300">
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {(Object.keys(healthColor) as (keyof typeof healthColor)[]).map((health) => (
          <span key={health} className="inline-flex items-center gap-1">
            <span className="size-2 rounded-full" style={{ backgroundColor: healthColor[health] }} />
            {health}
          </span>
        ))}
      </div>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        <span className="inline-flex items-center gap-1">
          {line(trafficColor.ok)}errors &lt; {percent(errorThresholds.elevated)}
        </span>
        <span className="inline-flex items-center gap-1">
          {line(trafficColor.elevated)}≥ {percent(errorThresholds.elevated)}
        </span>
        <span className="inline-flex items-center gap-1">
          {line(trafficColor.failing)}≥ {percent(errorThresholds.failing)}
        </span>
        <span className="inline-flex items-center gap-1">{line(trafficColor.idle, true)}declared, no traffic</span>
      </div>
      <div>Edge labels: requests/s · errors, then p95 latency; width grows with traffic.</div>
      {dense && <div className="font-medium">Point at a service to label its edges; filter by name or tag to see fewer.</div>}
    </div>
  );
}
