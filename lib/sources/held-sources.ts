import "server-only";
import { ownerOf } from "@/lib/balancing/rendezvous";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { SourceMirror } from "./source-mirror";

// A collector holds each source it syncs this long past its last renewal (every second): a dead one's
// sources go to another within seconds, a slow query does not hand them over.
export const sourceHoldMs = 4000;

/**
 * The sources a collector syncs: those rendezvous hashing gives it among the live collectors, each
 * claimed in the database first (compare-and-set on its owner), so at most one collector syncs a source.
 */
export class HeldSources {
  private readonly running = new Map<string, { mirror: SourceMirror; signature: string }>();

  constructor(private readonly collectorId: string) {}

  async refresh({ liveIds, now = Date.now() }: { liveIds: string[]; now?: number }) {
    const sources = await db.source.findMany({ where: { enabled: true } });
    const held = new Set<string>();
    const names = new Map(sources.map((source) => [source.id, source.name]));
    for (const source of sources) {
      if (ownerOf({ key: `source:${source.id}`, collectorIds: liveIds }) !== this.collectorId) continue;
      // A watch that is up means the catalog is in sync with the source as of now.
      const inSync = this.running.get(source.id)?.mirror.connected ? { lastSyncAt: new Date(now) } : {};
      const { count } = await db.source.updateMany({
        where: { id: source.id, OR: [{ owner: this.collectorId }, { owner: null }, { ownerUntil: { lt: new Date(now) } }] },
        data: { owner: this.collectorId, ownerUntil: new Date(now + sourceHoldMs), ...inSync },
      });
      if (count === 0) continue;
      held.add(source.id);
      // Changed settings start the source over with a fresh connection and a full listing.
      const signature = JSON.stringify([
        source.name,
        source.kind,
        source.convention,
        source.endpoints,
        source.prefix,
        source.username,
        source.password,
        source.tls,
      ]);
      const current = this.running.get(source.id);
      if (current?.signature === signature) continue;
      await current?.mirror.stop();
      this.running.delete(source.id);
      try {
        const mirror = new SourceMirror(source, this.collectorId);
        this.running.set(source.id, { mirror, signature });
        log.info(`collector ${this.collectorId}: syncing source ${source.name} (${source.kind}, ${source.convention})`);
        mirror.start();
      } catch (error) {
        // Settings an adapter refuses (say, a malformed certificate) are the source's error, not the collector's.
        await db.source.update({ where: { id: source.id }, data: { status: "error", error: error instanceof Error ? error.message : String(error) } });
      }
    }
    for (const [id, { mirror }] of this.running) {
      if (held.has(id)) continue;
      // Said, so that a source going quiet can be traced to the collector that took it (live: the lease table).
      log.info(`collector ${this.collectorId}: stops syncing source ${names.get(id) ?? id} (removed, disabled, or held by another of ${liveIds.join(", ")})`);
      this.running.delete(id);
      await mirror.stop();
      await db.source.updateMany({ where: { id, owner: this.collectorId }, data: { owner: null, ownerUntil: null } });
    }
  }

  /** Stops every mirror; with `release`, hands the sources back at once rather than when the hold runs out. */
  async stopAll({ release }: { release: boolean }) {
    const ids = [...this.running.keys()];
    await Promise.all([...this.running.values()].map(({ mirror }) => mirror.stop()));
    this.running.clear();
    if (release && ids.length)
      await db.source.updateMany({ where: { id: { in: ids }, owner: this.collectorId }, data: { owner: null, ownerUntil: null } }).catch(() => undefined);
  }
}
