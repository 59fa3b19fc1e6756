import type { TRemovalCause, TSourceChange, TSourceInstance } from "../types";

// What an adapter tells its consumer: a snapshot per listing, then only what differs from what it last told,
// one change at a time, each sent once the one before has settled.

const same = (a: TSourceInstance, b: TSourceInstance) => JSON.stringify(a) === JSON.stringify(b);

export class ChangeFeed {
  private known = new Map<string, TSourceInstance>();
  private delivery: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly onChange: (change: TSourceChange) => Promise<void>,
    /** A change the consumer failed to take: what it holds is no longer known, so a new snapshot is due. */
    private readonly onFailed: (error: unknown) => void,
    /** Why an instance no longer listed went, from what it was (an ephemeral node goes with its session). */
    private readonly causeOf: (instance: TSourceInstance) => TRemovalCause = () => "node deleted",
  ) {}

  /** Every instance; `then` runs once the consumer has taken it. */
  snapshot(instances: TSourceInstance[], then?: () => void) {
    this.known = new Map(instances.map((instance) => [instance.instanceId, instance]));
    this.send({ kind: "snapshot", instances, missing: "node deleted", at: Date.now() }, then);
  }

  /** Every instance as now listed; told as the instances added or changed and the ids gone, if any. */
  update(instances: TSourceInstance[]) {
    const next = new Map(instances.map((instance) => [instance.instanceId, instance]));
    const upserted = instances.filter((instance) => {
      const before = this.known.get(instance.instanceId);
      return !before || !same(before, instance);
    });
    const seenAt = Date.now();
    const removed = [...this.known.values()]
      .filter((instance) => !next.has(instance.instanceId))
      .map((instance) => ({ instanceId: instance.instanceId, cause: this.causeOf(instance), seenAt }));
    this.known = next;
    if (upserted.length > 0 || removed.length > 0) this.send({ kind: "changes", upserted, removed });
  }

  /** Resolves once every change sent so far has settled. */
  settled(): Promise<void> {
    return this.delivery;
  }

  /** Sends nothing more (changes not yet taken are dropped); resolves once the change being taken has settled. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.delivery;
  }

  private send(change: TSourceChange, then?: () => void) {
    this.delivery = this.delivery.then(async () => {
      if (this.stopped) return;
      try {
        await this.onChange(change);
        then?.();
      } catch (error) {
        this.onFailed(error);
      }
    });
  }
}
