import { createHash } from "node:crypto";
import { stablePart, type TEurekaInstance } from "./eureka-view";

export type TActionType = "ADDED" | "MODIFIED" | "DELETED";
export type TDeltaEntry = { at: number; actionType: TActionType; instance: TEurekaInstance };

// Eureka keeps the changes of the last 3 minutes for /apps/delta.
const defaultWindowMs = 180_000;
const defaultMaxEntries = 2000;

/**
 * The recent changes of the registry as Eureka's delta tells them, found by comparing each view of the catalog with
 * the one before, so a change made anywhere (a drain, a health check, another process) is seen. Bounded: the last
 * `windowMs` and at most `maxEntries` instances (a later change of one replaces its earlier). A delta that may lack
 * changes (entries dropped for room, or this process has not watched the whole window) says so: its caller answers
 * a hashcode no client can match, and the client fetches the full registry.
 */
export class DeltaLog {
  private previous: Map<string, { hash: string; instance: TEurekaInstance }> | undefined;
  private readonly entries = new Map<string, TDeltaEntry>();
  private incompleteUntil = 0;

  constructor(private readonly options: { windowMs?: number; maxEntries?: number } = {}) {}

  private get windowMs() {
    return this.options.windowMs ?? defaultWindowMs;
  }

  /** Records what changed between the last view observed and this one. */
  observe(instances: TEurekaInstance[], now = Date.now()) {
    const current = new Map<string, { hash: string; instance: TEurekaInstance }>();
    for (const instance of instances) {
      current.set(`${instance.app}/${instance.instanceId}`, { hash: createHash("sha1").update(stablePart(instance)).digest("base64"), instance });
    }
    const previous = this.previous;
    this.previous = current;
    if (!previous) {
      // What changed before this process first looked is not known.
      this.incompleteUntil = now + this.windowMs;
      return;
    }
    for (const [key, { hash, instance }] of current) {
      const before = previous.get(key);
      if (!before) this.record(key, { at: now, actionType: "ADDED", instance });
      else if (before.hash !== hash) this.record(key, { at: now, actionType: "MODIFIED", instance });
    }
    for (const [key, { instance }] of previous) if (!current.has(key)) this.record(key, { at: now, actionType: "DELETED", instance });
  }

  private record(key: string, entry: TDeltaEntry) {
    this.entries.delete(key);
    this.entries.set(key, entry);
    const max = this.options.maxEntries ?? defaultMaxEntries;
    while (this.entries.size > max) {
      this.entries.delete(this.entries.keys().next().value!);
      this.incompleteUntil = entry.at + this.windowMs;
    }
  }

  /** The changes of the window, oldest first, and whether they are all of them. */
  delta(now = Date.now()): { entries: TDeltaEntry[]; complete: boolean } {
    for (const [key, entry] of this.entries) {
      if (entry.at >= now - this.windowMs) break;
      this.entries.delete(key);
    }
    return { entries: [...this.entries.values()], complete: now >= this.incompleteUntil };
  }
}
