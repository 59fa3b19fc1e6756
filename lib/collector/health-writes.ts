import "server-only";
import { setInstancesHealth } from "@/lib/catalog/set-instance-health";
import type { THealth } from "@/lib/health/health";
import { log } from "@/lib/log";
import { setInstanceFlapping } from "./set-instance-flapping";

export type THealthWrite =
  { kind: "health"; to: THealth; reason: string; detectionMs?: number } | { kind: "flapping"; on: boolean; health: THealth; reason: string };

// Health changes per transaction: a thousand instances turning passing at once is a few writes, not a thousand.
const maxBatch = 500;
// A change waits this long for others to join it: SQLite's driver runs a transaction without letting the event loop
// read new results, so without a wait every batch would hold one change.
const batchWaitMs = 20;
// A failed round is tried again soon: a change to critical waiting longer misses the detection budget (interval x fall
// + 500 ms), and one the database lost to a deadlock was already retried at once (retryOnDeadlock). As the collector's loop.
const maxRetryMs = 5000;

/**
 * What the checks decide, written in order per instance and in batches across instances: each round takes the oldest
 * write of every instance that has one, so a warm-up or a mass failure costs a few transactions. A round that fails
 * is retried with backoff until the database takes it: none is lost.
 */
export class HealthWrites {
  private readonly pending = new Map<string, THealthWrite[]>();
  private writing = false;
  private waiting?: NodeJS.Timeout;
  private stopped = false;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly describe: (id: string) => string) {}

  get size(): number {
    return this.pending.size;
  }

  add(id: string, write: THealthWrite) {
    const queue = this.pending.get(id);
    if (!queue) this.pending.set(id, [write]);
    // While the database is away only the latest health is worth writing (the head may be in flight).
    else if (queue.length > 1 && write.kind === "health" && queue.at(-1)?.kind === "health") queue[queue.length - 1] = write;
    else queue.push(write);
    if (!this.writing) this.waiting ??= setTimeout(() => void this.drain(), batchWaitMs);
  }

  /** The instance is no longer checked here: what it has not written yet is dropped. */
  forget(id: string) {
    this.pending.delete(id);
  }

  /**
   * Runs another write of this collector's instance rows (lastCheckAt) between health batches, never beside one: on
   * PostgreSQL a multi-row UPDATE locks rows in its plan's order (a hash join's is the table's), so two writes of the
   * same rows at once can deadlock, and the loser waits deadlock_timeout (1 s) before it is told.
   */
  exclusive<T>(write: () => Promise<T>): Promise<T> {
    const result = this.turn.then(write);
    this.turn = result.catch(() => undefined);
    return result;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.waiting);
  }

  private async drain() {
    this.waiting = undefined;
    if (this.writing) return;
    this.writing = true;
    let failures = 0;
    while (this.pending.size > 0 && !this.stopped) {
      // Each instance's oldest write; a flapping start or end with the health change that goes with it.
      const heads: [string, THealthWrite[]][] = [];
      for (const [id, queue] of this.pending) {
        if (heads.length >= maxBatch) break;
        heads.push([id, queue[0]!.kind === "flapping" && queue[1]?.kind === "health" ? queue.slice(0, 2) : queue.slice(0, 1)]);
      }
      try {
        await this.exclusive(() => this.write(heads));
        for (const [id, writes] of heads) {
          const queue = this.pending.get(id);
          if (!queue || queue[0] !== writes[0]) continue;
          queue.splice(0, writes.length);
          if (queue.length === 0) this.pending.delete(id);
        }
        failures = 0;
        // Results that came in during the write are read before the next batch is taken.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        failures += 1;
        if (failures === 1) log.warn(`health of ${heads.length} instances (${this.describe(heads[0]![0])}...) not written yet; retrying`, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxRetryMs, 250 * 2 ** failures)));
      }
    }
    this.writing = false;
  }

  private async write(heads: [string, THealthWrite[]][]) {
    // Flapping starts and ends are rare (one instance in trouble): one by one, before the health they come with.
    for (const [id, writes] of heads)
      for (const write of writes)
        if (write.kind === "flapping") await setInstanceFlapping({ id, flapping: write.on, health: write.health, reason: write.reason });
    const health = heads.flatMap(([id, writes]) =>
      writes.flatMap((write) =>
        write.kind === "health"
          ? [{ id, to: write.to, reason: write.reason, ...(write.detectionMs === undefined ? {} : { detectionMs: write.detectionMs }) }]
          : [],
      ),
    );
    if (health.length) await setInstancesHealth(health);
  }
}
