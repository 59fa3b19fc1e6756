import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { loadConfigStates, loadStatesOf } from "./load-states";
import { stateKey, type TConfigState } from "./resolve";
import type { TConfigRef } from "../schemas";
import { getConfigSeq } from "./sequence";

// Changes made by other app processes are seen by one shared look at the change sequence this often, while anyone waits.
const pollMs = 300;
// Items nobody has asked about for this long leave the cache.
const idleMs = 5 * 60_000;

type TRead = (ref: TConfigRef) => TConfigState;
type TWaiter<T> = { keys: string[]; evaluate: (read: TRead) => T[]; finish: (changed: T[]) => void };

/**
 * One per process: a cache of the items watched, kept fresh by the change sequence (an in-process announcement after
 * each commit, and one poll of the sequence for other processes' changes), waking exactly the watchers of what changed.
 * No watcher polls the database itself: 1000 watchers cost one cheap query every 300 ms.
 */
export class ConfigNotifier {
  private readonly states = new Map<string, { state: TConfigState; usedAt: number }>();
  private readonly loading = new Map<string, number>();
  private readonly byKey = new Map<string, Set<TWaiter<unknown>>>();
  private waiters = 0;
  private seq = -1;
  private syncedAt = 0;
  private namespaces: Set<string> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | null = null;
  private again = false;
  private sweptAt = Date.now();

  /** Call after a change commits: this process's watchers hear of it at once. */
  announce() {
    void this.sync();
  }

  /** Namespaces known, as fresh as the cache. */
  async hasNamespace(name: string): Promise<boolean> {
    await this.fresh();
    return this.namespaces?.has(name) ?? false;
  }

  /**
   * Evaluates `evaluate` over the items now; when it finds nothing, waits until a change to one of them makes it find
   * something, or `timeoutMs` passes (then resolves with []), or `signal` aborts.
   */
  async watch<T>({
    refs,
    evaluate,
    timeoutMs,
    signal,
  }: {
    refs: TConfigRef[];
    evaluate: (read: TRead) => T[];
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<T[]> {
    await this.ensure(refs);
    const now = evaluate(this.read);
    if (now.length > 0 || timeoutMs <= 0 || signal?.aborted) return now;
    return new Promise<T[]>((resolve) => {
      const keys = [...new Set(refs.map(stateKey))];
      let done = false;
      const finish = (changed: T[]) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        signal?.removeEventListener("abort", onAbort);
        for (const key of keys) {
          const set = this.byKey.get(key);
          set?.delete(waiter as TWaiter<unknown>);
          if (set?.size === 0) this.byKey.delete(key);
        }
        this.waiters -= 1;
        if (this.waiters === 0) this.stopPolling();
        resolve(changed);
      };
      const waiter: TWaiter<T> = { keys, evaluate, finish };
      const onAbort = () => finish([]);
      const deadline = setTimeout(() => finish([]), timeoutMs);
      signal?.addEventListener("abort", onAbort);
      for (const key of keys) {
        const set = this.byKey.get(key) ?? new Set();
        set.add(waiter as TWaiter<unknown>);
        this.byKey.set(key, set);
      }
      this.waiters += 1;
      this.startPolling();
    });
  }

  private read: TRead = (ref) => {
    const entry = this.states.get(stateKey(ref));
    if (!entry) throw new Error(`config state of ${stateKey(ref)} read before it was loaded`);
    entry.usedAt = Date.now();
    return entry.state;
  };

  // Newer than the cache's own guarantee: when nobody waits there is no poll, so look at the sequence first.
  private async fresh() {
    // A sync under way may carry a change this process just committed (announce): wait for it.
    if (this.syncing) await this.syncing;
    else if (this.seq < 0 || Date.now() - this.syncedAt > pollMs) await this.sync();
  }

  private async ensure(refs: TConfigRef[]) {
    await this.fresh();
    const missing = refs.filter((ref) => !this.states.has(stateKey(ref)));
    if (missing.length === 0) return;
    const keys = missing.map(stateKey);
    for (const key of keys) this.loading.set(key, (this.loading.get(key) ?? 0) + 1);
    try {
      for (const state of await loadStatesOf(missing)) this.store(state);
    } finally {
      for (const key of keys) {
        const left = (this.loading.get(key) ?? 1) - 1;
        if (left > 0) this.loading.set(key, left);
        else this.loading.delete(key);
      }
    }
  }

  // A state loaded before a change must not replace the one loaded after it.
  private store(state: TConfigState) {
    const key = stateKey(state);
    const entry = this.states.get(key);
    if (entry && entry.state.seq > state.seq) return;
    this.states.set(key, { state, usedAt: Date.now() });
  }

  /** Catches up with the change sequence and wakes the watchers of what changed; concurrent calls share one run. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          await this.catchUp();
        } while (this.again);
      } catch (error) {
        log.warn("config notifier could not read the change sequence; retrying", error);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private async catchUp() {
    const started = Date.now();
    const seq = await getConfigSeq();
    if (seq === this.seq) {
      this.syncedAt = started;
      return;
    }
    const since = this.seq;
    this.namespaces = new Set((await db.configNamespace.findMany({ select: { name: true } })).map((row) => row.name));
    if (since < 0) {
      this.seq = seq;
      this.syncedAt = started;
      return;
    }
    const changed = await loadConfigStates({ seq: { gt: since } });
    this.seq = seq;
    this.syncedAt = started;
    const woken = new Set<TWaiter<unknown>>();
    for (const state of changed) {
      const key = stateKey(state);
      if (!this.states.has(key) && !this.loading.has(key)) continue;
      this.store(state);
      for (const waiter of this.byKey.get(key) ?? []) woken.add(waiter);
    }
    for (const waiter of woken) {
      const found = waiter.evaluate(this.read);
      if (found.length > 0) waiter.finish(found);
    }
  }

  private startPolling() {
    this.timer ??= setInterval(() => {
      void this.sync();
      this.sweep();
    }, pollMs).unref();
  }

  private stopPolling() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep() {
    const now = Date.now();
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, entry] of this.states) if (now - entry.usedAt > idleMs && !this.byKey.has(key)) this.states.delete(key);
  }
}

// One per process, shared by every route and action bundle.
export const configNotifier = processSingleton("meshdeck.configNotifier", () => new ConfigNotifier());
