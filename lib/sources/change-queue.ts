import type { TSourceChange, TSourceInstance } from "./types";

// How long the first change of a burst waits for the rest.
const coalesceMs = 20;

/**
 * Hands changes to the sync one batch at a time, in order: what arrives while a batch is being written is
 * merged into the next (the last word on each instance wins), so a burst costs a few transactions, not one each.
 */
export class ChangeQueue {
  private snapshotPending?: TSourceInstance[];
  private readonly upserted = new Map<string, TSourceInstance>();
  private readonly removed = new Set<string>();
  private running?: Promise<void>;

  constructor(
    private readonly apply: (change: TSourceChange) => Promise<void>,
    /** A batch that could not be written is dropped with what is queued; the adapter lists everything again. */
    private readonly onFailure: (error: unknown) => void,
  ) {}

  snapshot(instances: TSourceInstance[]) {
    // A full listing makes every change queued before it moot.
    this.snapshotPending = instances;
    this.upserted.clear();
    this.removed.clear();
    this.kick();
  }

  upsert(instance: TSourceInstance) {
    this.removed.delete(instance.instanceId);
    this.upserted.set(instance.instanceId, instance);
    this.kick();
  }

  remove(instanceId: string) {
    this.upserted.delete(instanceId);
    this.removed.add(instanceId);
    this.kick();
  }

  /** Resolves once everything queued so far is applied. */
  async drain() {
    while (this.running) await this.running;
  }

  private take(): TSourceChange | null {
    if (this.snapshotPending) {
      const instances = this.snapshotPending;
      this.snapshotPending = undefined;
      return { kind: "snapshot", instances };
    }
    if (this.upserted.size === 0 && this.removed.size === 0) return null;
    const change: TSourceChange = { kind: "changes", upserted: [...this.upserted.values()], removed: [...this.removed] };
    this.upserted.clear();
    this.removed.clear();
    return change;
  }

  private kick() {
    if (this.running) return;
    this.running = (async () => {
      // A short wait lets a burst arrive before the first batch is cut: a lease expiring with thousands of keys is
      // thousands of watch deletes, written as one change (one transaction, one story) rather than one each.
      await new Promise((resolve) => setTimeout(resolve, coalesceMs));
      for (let change = this.take(); change; change = this.take()) await this.apply(change);
    })()
      .catch((error: unknown) => {
        this.snapshotPending = undefined;
        this.upserted.clear();
        this.removed.clear();
        this.onFailure(error);
      })
      .finally(() => {
        this.running = undefined;
      });
  }
}
