import { toRollupRow, type TRollupRow } from "./rollup-rows";
import { addSignals, addSignalsInPlace } from "../signals";
import type { TScrapeSignals, TSignals } from "../types";

/** The finest rollup window: every scrape's increases land in the 10 s window it was scheduled in. */
export const windowMs = 10_000;

type TWindow = {
  instances: Map<string, { service: string; signals: TSignals }>;
  services: Map<string, TSignals>;
  edges: Map<string, { caller: string; callee: string; signals: TSignals }>;
};

// A window's sums are added to in place, scrape after scrape, not rebuilt: the windows live for 10 s and more, so
// each rebuilt sum was garbage the young generation had already promoted. A first sum is a copy of its own.
const copy = (signals: TSignals): TSignals => ({
  ...signals,
  buckets: signals.buckets && signals.buckets.map(([le, count]): [number, number] => [le, count]),
  summary: signals.summary && { ...signals.summary },
});
const add = (current: TSignals | undefined, next: TSignals) => (!current ? copy(next) : addSignalsInPlace(current, next) ? current : addSignals(current, next));

/**
 * Open 10 s windows of one collector's scrapes. A service's instances are all scraped by the
 * collector that owns the service, so its service and edge rows are complete sums.
 */
export class MetricWindows {
  private readonly open = new Map<number, TWindow>();
  // Windows up to here are written; a scrape that arrives later counts in the oldest open one.
  private writtenUpTo = 0;

  record({ service, instanceId, scheduledAt, scrape }: { service: string; instanceId: string; scheduledAt: number; scrape: TScrapeSignals }) {
    const at = Math.max(Math.floor(scheduledAt / windowMs) * windowMs, this.writtenUpTo);
    let window = this.open.get(at);
    if (!window) this.open.set(at, (window = { instances: new Map(), services: new Map(), edges: new Map() }));
    const instance = window.instances.get(instanceId);
    if (instance) instance.signals = add(instance.signals, scrape.self);
    else window.instances.set(instanceId, { service, signals: scrape.self });
    window.services.set(service, add(window.services.get(service), scrape.self));
    for (const [callee, signals] of scrape.edges) {
      const id = `${service}\u0000${callee}`;
      const edge = window.edges.get(id);
      if (edge) edge.signals = add(edge.signals, signals);
      // A scrape's edge sums are its own: the first is taken as it is.
      else window.edges.set(id, { caller: service, callee, signals });
    }
  }

  /** Takes the rows of the windows that ended before `closedBefore` (all their scrapes are in). */
  take({ closedBefore }: { closedBefore: number }): TRollupRow[] {
    const rows: TRollupRow[] = [];
    for (const [atMs, window] of this.open) {
      if (atMs + windowMs > closedBefore) continue;
      this.open.delete(atMs);
      this.writtenUpTo = Math.max(this.writtenUpTo, atMs + windowMs);
      const row = (key: Parameters<typeof toRollupRow>[0]["key"], signals: TSignals) =>
        rows.push(toRollupRow({ key, resolution: windowMs / 1000, atMs, signals }));
      for (const [service, signals] of window.services) row({ scope: "service", service, instanceId: "", peer: "" }, signals);
      for (const [instanceId, { service, signals }] of window.instances) row({ scope: "instance", service, instanceId, peer: "" }, signals);
      for (const { caller, callee, signals } of window.edges.values()) row({ scope: "edge", service: caller, instanceId: "", peer: callee }, signals);
    }
    return rows;
  }
}
