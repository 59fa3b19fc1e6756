import "server-only";
import { db } from "@/lib/db";
import { valuesList } from "@/lib/db/bulk";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import type { TConfigRef } from "../schemas";

// Watchers are written to the database in batches, not one row per watch: what changed every 2 s, and a row
// whose watch is still held every 25 s, so the console lists it as live (seen within LISTENER_LIVE_MS).
const flushMs = 2000;
const refreshMs = 25_000;
const forgetMs = 2 * 60_000;
export const LISTENER_LIVE_MS = 60_000;
const batchSize = 400;
// A row nobody refreshed for an hour is of an instance gone (a redeploy's old ids): no page reads it, so it goes.
const pruneAfterMs = 60 * 60_000;
const pruneEveryMs = 10 * 60_000;

type TEntry = TConfigRef & { instanceId: string; version: number; address: string | null; watching: number; seenAt: number; writtenAt: number; dirty: boolean };
const columns = ["namespace", "group", "key", "instanceId", "version", "address", "lastSeenAt"];

/** Who listens to which item with which version: kept in memory, written through in batches. */
export class ListenerBook {
  private readonly entries = new Map<string, TEntry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private prunedAt = 0;

  /** A watch began holding these versions; call the returned function when it ends. */
  hold({ instanceId, address, items }: { instanceId: string; address: string | null; items: (TConfigRef & { version: number })[] }): () => void {
    const now = Date.now();
    const held: TEntry[] = [];
    for (const item of items) {
      const id = [item.namespace, item.group, item.key, instanceId].join("\u0000");
      const entry = this.entries.get(id) ?? {
        namespace: item.namespace,
        group: item.group,
        key: item.key,
        instanceId,
        version: -1,
        address: null,
        watching: 0,
        seenAt: now,
        writtenAt: 0,
        dirty: true,
      };
      if (entry.version !== item.version || entry.address !== address) entry.dirty = true;
      Object.assign(entry, { version: item.version, address, seenAt: now, watching: entry.watching + 1 });
      this.entries.set(id, entry);
      held.push(entry);
    }
    this.timer ??= setInterval(() => void this.flush(), flushMs).unref();
    return () => {
      const at = Date.now();
      for (const entry of held) Object.assign(entry, { watching: entry.watching - 1, seenAt: at });
    };
  }

  async flush({ now = Date.now() }: { now?: number } = {}) {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const due = [...this.entries.values()].filter((entry) => entry.dirty || (entry.watching > 0 && now - entry.writtenAt > refreshMs));
      for (let i = 0; i < due.length; i += batchSize) {
        const batch = due.slice(i, i + batchSize);
        const values = batch.flatMap((entry) => [
          entry.namespace,
          entry.group,
          entry.key,
          entry.instanceId,
          entry.version,
          entry.address,
          new Date(entry.watching > 0 ? now : entry.seenAt),
        ]);
        await db.$executeRawUnsafe(
          `INSERT INTO "ConfigListener" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${valuesList({ rows: batch.length, columns: columns.length })}
           ON CONFLICT ("namespace", "group", "key", "instanceId") DO UPDATE SET "version" = excluded."version", "address" = excluded."address", "lastSeenAt" = excluded."lastSeenAt"`,
          ...values,
        );
        for (const entry of batch) Object.assign(entry, { dirty: false, writtenAt: now });
      }
      if (now - this.prunedAt >= pruneEveryMs) {
        this.prunedAt = now;
        await db.configListener.deleteMany({ where: { lastSeenAt: { lt: new Date(now - pruneAfterMs) } } });
      }
      for (const [id, entry] of this.entries) if (entry.watching === 0 && !entry.dirty && now - entry.seenAt > forgetMs) this.entries.delete(id);
      if (this.entries.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } catch (error) {
      log.warn("config listeners could not be written; retrying", error);
    } finally {
      this.flushing = false;
    }
  }
}

export const listenerBook = processSingleton("meshdeck.configListeners", () => new ListenerBook());
