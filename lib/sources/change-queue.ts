import type { TRemovalCause, TSourceChange, TSourceInstance } from "./types";

// How long the first change of a burst waits for the rest.
const coalesceMs = 20;

/**
 * Hands changes to the sync one batch at a time, in order: what arrives while a batch is being written is
 * merged into the next (the last word on each instance wins), so a burst costs a few transactions, not one each.
 */
export class ChangeQueue {
  private snapshotPending?: { instances: TSourceInstance[]; at: number };
  private readonly upserted = new Map<string, TSourceInstance>();
  /** The cause may still be asked of the source (is the key's lease gone?); the batch waits for it. */
  private readonly removed = new Map<string, { cause: TRemovalCause | Promise<TRemovalCause>; seenAt: number }>();
  private running?: Promise<void>;

  constructor(
    private readonly apply: (change: TSourceChange) => Promise<void>,
    /** A batch that could not be written is dropped with what is queued; the adapter lists everything again. */
    private readonly onFailure: (error: unknown) => void,
    /** Why an instance a snapshot no longer lists went. */
    private readonly missing: TRemovalCause,
  ) {}

  snapshot(instances: TSourceInstance[]) {
    // A full listing makes every change queued before it moot.
    this.snapshotPending = { instances, at: Date.now() };
    this.upserted.clear();
    this.removed.clear();
    this.kick();
  }

  upsert(instance: TSourceInstance) {
    this.removed.delete(instance.instanceId);
    this.upserted.set(instance.instanceId, instance);
    this.kick();
  }

  remove(instanceId: string, cause: TRemovalCause | Promise<TRemovalCause>) {
    this.upserted.delete(instanceId);
    this.removed.set(instanceId, { cause, seenAt: Date.now() });
    this.kick();
  }

  /** Resolves once everything queued so far is applied. */
  async drain() {
    while (this.running) await this.running;
  }

  private async take(): Promise<TSourceChange | null> {
    if (this.snapshotPending) {
      const { instances, at } = this.snapshotPending;
      this.snapshotPending = undefined;
      return { kind: "snapshot", instances, missing: this.missing, at };
    }
    if (this.upserted.size === 0 && this.removed.size === 0) return null;
    const upserted = [...this.upserted.values()];
    const removed = [...this.removed];
    this.upserted.clear();
    this.removed.clear();
    const causes = await Promise.all(removed.map(([, { cause }]) => Promise.resolve(cause)));
    return { kind: "changes", upserted, removed: removed.map(([instanceId, { seenAt }], i) => ({ instanceId, cause: causes[i]!, seenAt })) };
  }

  private kick() {
    if (this.running) return;
    this.running = (async () => {
      // A short wait lets a burst arrive before the first batch is cut: a lease expiring with thousands of keys is
      // thousands of watch deletes, written as one change (one transaction, one story) rather than one each.
      await new Promise((resolve) => setTimeout(resolve, coalesceMs));
      for (let change = await this.take(); change; change = await this.take()) await this.apply(change);
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
