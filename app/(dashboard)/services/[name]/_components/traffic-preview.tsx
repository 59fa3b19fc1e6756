import { HealthBadge } from "@/components/ui/badge";
import { formatShare } from "@/lib/health/takeover";
import { countOf } from "@/lib/plural";
import type { summarizePreview, TDataPlaneEffect, TTrafficPreview } from "@/lib/governance/preview";

function ShareBar({ share, tone }: { share: number; tone: "before" | "after" }) {
  return (
    <span className="inline-block h-1.5 w-16 overflow-hidden rounded-full bg-zinc-100 align-middle dark:bg-zinc-800">
      <span className={tone === "after" ? "block h-full bg-indigo-500" : "block h-full bg-zinc-400"} style={{ width: `${Math.round(share * 100)}%` }} />
    </span>
  );
}

const shareRange = ({ min, max }: { min: number; max: number }) =>
  formatShare(min) === formatShare(max) ? formatShare(min) : `${formatShare(min)}–${formatShare(max)}`;

const side = (state: TTrafficPreview["instances"][number]["before"]) => (state.enabled ? `${state.weight}` : `${state.weight}, drained`);

const named = ({ ids, count }: { ids: string[]; count: number }) => (count > ids.length ? `${ids.join(", ")} and ${count - ids.length} more` : ids.join(", "));

/** "This change takes orders-2 out of haproxy backend orders (edge)": what a data plane driving the service will do. */
function describeEffect(effect: TDataPlaneEffect): string {
  const where = `${effect.kind} backend ${effect.backend} (${effect.dataPlane})`;
  const parts = [
    effect.leaving.count > 0 && `takes ${named(effect.leaving)} out of`,
    effect.joining.count > 0 && `puts ${named(effect.joining)} back into`,
    effect.reweighted > 0 && `reweights ${countOf(effect.reweighted, "server")} of`,
  ].filter(Boolean);
  return parts.length ? `This change ${parts.join(", and ")} ${where}.` : `No change to ${where}.`;
}

/** Each instance's share of the service's traffic before and after the change, and the capacity left. */
export function TrafficPreview({ preview }: { preview: ReturnType<typeof summarizePreview> & { dataPlanes?: TDataPlaneEffect[] } }) {
  const { capacity } = preview;
  const percent = (count: number) => `${Math.round((count / Math.max(capacity.total, 1)) * 100)}%`;
  return (
    // Scrolls in its own box: on a phone the preview's columns are wider than the screen; focusable so keys scroll it.
    <div
      data-testid="traffic-preview"
      tabIndex={0}
      role="region"
      aria-label="Traffic preview"
      className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800"
    >
      <table className="w-full text-left text-xs">
        <thead className="bg-zinc-50 text-zinc-500 dark:text-zinc-400 dark:bg-zinc-900">
          <tr>
            <th className="px-3 py-1.5 font-medium">Instance</th>
            <th className="px-3 py-1.5 font-medium">Health</th>
            <th className="px-3 py-1.5 font-medium">Weight</th>
            <th className="px-3 py-1.5 font-medium">Share of traffic</th>
          </tr>
        </thead>
        <tbody>
          {preview.instances.map((row) => (
            <tr key={row.id} data-testid={`preview-${row.id}`} className={row.selected ? "bg-indigo-50/60 dark:bg-indigo-950/40" : undefined}>
              <td className="px-3 py-1 font-medium">{row.id}</td>
              <td className="px-3 py-1">
                <HealthBadge health={row.health} />
              </td>
              <td className="px-3 py-1 tabular-nums">{side(row.before) === side(row.after) ? side(row.after) : `${side(row.before)} → ${side(row.after)}`}</td>
              <td className="whitespace-nowrap px-3 py-1 tabular-nums">
                <ShareBar share={row.before.share} tone="before" /> <span className="text-zinc-500 dark:text-zinc-400">{formatShare(row.before.share)}</span>
                <span className="mx-1.5 text-zinc-500 dark:text-zinc-400">→</span>
                <ShareBar share={row.after.share} tone="after" />{" "}
                <span data-testid="share-after" className="font-medium">
                  {formatShare(row.after.share)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.more && (
        <p data-testid="preview-more" className="border-t border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
          …and {preview.more.count.toLocaleString("en")} more instances, each {shareRange(preview.more.before)} → {shareRange(preview.more.after)} of the
          traffic
        </p>
      )}
      <p data-testid="capacity" className="border-t border-zinc-200 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        Taking traffic: {capacity.before} of {capacity.total} ({percent(capacity.before)}) →{" "}
        <strong>
          {capacity.after} of {capacity.total} ({percent(capacity.after)})
        </strong>
        {preview.protectionThreshold > 0 && <> · protection threshold {Math.round(preview.protectionThreshold * 100)}%</>}
      </p>
      {preview.dataPlanes?.map((effect) => (
        <p
          key={`${effect.dataPlane}/${effect.backend}`}
          data-testid="dataplane-preview"
          className="border-t border-zinc-200 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
        >
          {describeEffect(effect)}
        </p>
      ))}
    </div>
  );
}
