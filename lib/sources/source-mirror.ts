import "server-only";
import { db, type Tx } from "@/lib/db";
import { log } from "@/lib/log";
import { encodeSkipReasons } from "@/lib/db/codecs";
import { createAdapter, settingsOf } from "./adapters";
import { applySourceChange } from "./apply-source-change";
import { reapplyRewrittenOverrides } from "./reapply-overrides";
import { recentSkips } from "./skip-report";
import type { ISourceAdapter, TSkipReport, TSourceChange } from "./types";

// Skip reports are written at most this often: a burst of bad keys is one row update, not one each.
const skipWriteMs = 500;

type TSourceRow = Parameters<typeof settingsOf>[0] & { id: string };

/** Syncs one source into the catalog while this collector holds it, and keeps the source's state on its row. */
export class SourceMirror {
  private readonly adapter: ISourceAdapter;
  private stopped = false;
  private failures = 0;
  /** Listed and watching: the source is in sync as of each renewal. */
  connected = false;
  /** What the adapter left out, and the instances the last change left out because another source has their id. */
  private adapterSkips: TSkipReport = { count: 0, recent: [] };
  private taken: TSkipReport = { count: 0, recent: [] };
  private skipTimer?: NodeJS.Timeout;

  constructor(
    private readonly source: TSourceRow,
    private readonly collectorId: string,
  ) {
    this.adapter = createAdapter(settingsOf(source));
  }

  start() {
    this.adapter.start({
      onChange: (change) => this.onChange(change),
      onState: (state) => void this.onState(state),
      onSkipped: (report) => {
        this.adapterSkips = report;
        this.scheduleSkipWrite();
      },
    });
  }

  /** The skip count and latest reasons on the source's row, where every app process's Sources page reads them. */
  private skipColumns() {
    const count = this.adapterSkips.count + this.taken.count;
    return { skipped: count, skipReasons: encodeSkipReasons([...this.adapterSkips.recent, ...this.taken.recent].slice(-recentSkips)) };
  }

  private scheduleSkipWrite() {
    if (this.skipTimer || this.stopped) return;
    this.skipTimer = setTimeout(() => {
      this.skipTimer = undefined;
      void db.source
        .updateMany({ where: { id: this.source.id, owner: this.collectorId }, data: this.skipColumns() })
        .catch((failure: unknown) => log.warn(`source ${this.source.name}: could not record what it skipped`, failure));
    }, skipWriteMs);
  }

  /**
   * Every write checks that this collector still holds the source: one that lost it (a long pause) writes nothing.
   * The owner column is enough: another collector takes a source only by writing itself there.
   */
  private fence = async (tx: Tx) => {
    const { count } = await tx.source.updateMany({ where: { id: this.source.id, owner: this.collectorId }, data: { lastSyncAt: new Date() } });
    if (count === 0) throw new Error(`collector ${this.collectorId} no longer holds source ${this.source.name}`);
  };

  private async onChange(change: TSourceChange) {
    if (this.stopped) return;
    if (change.kind === "snapshot") [this.connected, this.failures] = [true, 0];
    const started = Date.now();
    const applied = await applySourceChange({ source: this.source.name, change, fence: this.fence });
    const lagMs = Date.now() - started;
    // A snapshot counts afresh; changes add to the count until the next one.
    if (change.kind === "snapshot") this.taken = { count: 0, recent: [] };
    if (applied.taken.length > 0)
      this.taken = { count: this.taken.count + applied.taken.length, recent: [...this.taken.recent, ...applied.taken].slice(-recentSkips) };
    // One line per change, however many: a resync must not log thousands.
    if (applied.taken[0])
      log.warn(`source ${this.source.name}: skipping ${applied.taken.length} instance(s) another source has, e.g. ${applied.taken[0].reason}`);
    const instances = await db.instance.count({ where: { source: this.source.name } });
    const synced = { lastSyncAt: new Date(), lagMs, instances, status: "connected", error: null, staleSince: null, ...this.skipColumns() };
    await db.source.updateMany({ where: { id: this.source.id, owner: this.collectorId }, data: synced });
    if (this.source.convention === "kratos") reapplyRewrittenOverrides({ source: this.source.name, adapter: this.adapter, change });
    if (change.kind === "snapshot")
      log.info(
        `source ${this.source.name}: synced ${instances} instances (${applied.created} new, ${applied.updated} changed, ${applied.removed} gone) in ${lagMs} ms`,
      );
  }

  private async onState({ connected, error }: { connected: boolean; error?: string }) {
    if (connected || this.stopped) return;
    this.connected = false;
    this.failures += 1;
    // 1, 2, 4, 8... failures are logged: enough to see it, not a line per retry.
    if ((this.failures & (this.failures - 1)) === 0)
      log.warn(`source ${this.source.name}: unreachable (${error ?? "no reason given"}); keeping its last known state and retrying`);
    // The instances keep their last known state; the source says since when it is stale.
    const row = await db.source.findUnique({ where: { id: this.source.id }, select: { lastSyncAt: true, staleSince: true } }).catch(() => null);
    if (!row) return;
    const data = row.lastSyncAt
      ? { status: "stale", staleSince: row.staleSince ?? new Date(), error: error ?? "unreachable" }
      : { status: "error", error: error ?? "unreachable" };
    await db.source
      .updateMany({ where: { id: this.source.id, owner: this.collectorId }, data })
      .catch((failure: unknown) => log.warn(`source ${this.source.name}: could not record its state`, failure));
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.skipTimer);
    await this.adapter.stop();
  }
}
