import "server-only";
import { db } from "@/lib/db";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { log } from "@/lib/log";
import { SourceSync } from "@/lib/sources/source-sync";
import { checkSignature, listCheckedInstances, type TCheckedInstance } from "./checked-instances";
import { InstanceCheck } from "./instance-check";
import { forgetDeadLeases, leaseLiveMs, leaseRenewMs, newCollectorId, releaseLease, renewLease } from "./lease";
import { MetricsCollector } from "./metrics-collector";
import { deleteOldRollups, ProbeRollups } from "./probe-rollups";
import { ownerOf } from "./rendezvous";

// The set of checked instances is read again this often: new, changed and removed ones.
const refreshMs = 2000;
// lastCheckAt / lastSuccessAt are written for all instances at once, this often.
const touchFlushMs = 5000;
const rollupFlushMs = 10_000;
const retentionEveryMs = 10 * 60_000;
const metricsFlushMs = 2000;
const targetsRefreshMs = 5000;
const compactEveryMs = 10_000;
const maxBackoffMs = 30_000;

type TTouch = { lastCheckAt: number; lastSuccessAt?: number };

/**
 * The health-check collector: renews its lease, takes the instances that rendezvous hashing gives
 * it among the live collectors, probes each at its own interval and writes transitions and rollups.
 */
export class HealthCollector {
  readonly id = newCollectorId();
  readonly checks = new Map<string, { check: InstanceCheck; signature: string }>();
  private readonly rollups = new ProbeRollups();
  private readonly touched = new Map<string, TTouch>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private liveIds: string[] = [];
  private leaseOkAt = 0;
  private last = { refresh: 0, targets: 0, touch: 0, rollups: 0, retention: 0, metrics: 0, compact: 0, sources: 0 };
  private failures = 0;
  readonly metrics: MetricsCollector;
  readonly sources = new SourceSync(this.id);

  constructor(private readonly options: { retentionDays: number; metricsRetainMs?: Record<number, number> }) {
    this.metrics = new MetricsCollector({ collectorId: this.id, retainMs: options.metricsRetainMs ?? metricsRetainMs(getEnv()) });
  }

  start() {
    void this.loop();
  }

  private async loop() {
    if (this.stopped) return;
    try {
      await this.runDue(Date.now());
      if (this.failures > 0) log.info(`collector ${this.id}: database reachable again`);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      // 1, 2, 4, 8... failures are logged: enough to see it, not a line a second.
      if ((this.failures & (this.failures - 1)) === 0) log.error(`collector ${this.id}: database unreachable (${this.failures} tries); retrying`, error);
      if (Date.now() - this.leaseOkAt > leaseLiveMs) this.dropAll("its lease lapsed");
    }
    if (this.stopped) return;
    const delay = this.failures ? Math.min(maxBackoffMs, leaseRenewMs * 2 ** (this.failures - 1)) : leaseRenewMs;
    this.timer = setTimeout(() => void this.loop(), delay);
  }

  private async runDue(now: number) {
    const live = await renewLease({ id: this.id });
    this.leaseOkAt = now;
    const liveChanged = live.sort().join() !== this.liveIds.join();
    this.liveIds = live;
    if (liveChanged || now - this.last.refresh >= refreshMs) {
      this.assign(await listCheckedInstances());
      this.last.refresh = now;
    }
    // Scrape targets change rarely and are scraped every 10 s: a new instance waits at most one more interval.
    if (liveChanged || now - this.last.targets >= targetsRefreshMs) {
      await this.metrics.refresh({ liveIds: this.liveIds });
      this.last.targets = now;
    }
    // Housekeeping that fails is tried again at its next turn; it must not slow the lease down.
    await this.housekeep("source sync", "sources", leaseRenewMs, now, () => this.sources.refresh({ liveIds: this.liveIds, now }));
    await this.housekeep("lastCheckAt", "touch", touchFlushMs, now, () => this.flushTouched());
    await this.housekeep("probe rollups", "rollups", rollupFlushMs, now, () => this.rollups.flush({ now }));
    await this.housekeep("metric rollups", "metrics", metricsFlushMs, now, () => this.metrics.flush({ now }));
    await this.housekeep("1 min and 1 h metric rollups", "compact", compactEveryMs, now, () => this.metrics.compact({ now }));
    await this.housekeep("retention", "retention", retentionEveryMs, now, async () => {
      await this.metrics.deleteOld({ now });
      const deleted = await deleteOldRollups({ retentionDays: this.options.retentionDays, now });
      await forgetDeadLeases();
      if (deleted) log.info(`collector: deleted ${deleted} probe rollups older than ${this.options.retentionDays} days`);
    });
  }

  private async housekeep(what: string, key: keyof typeof this.last, everyMs: number, now: number, work: () => Promise<unknown>) {
    if (now - this.last[key] < everyMs) return;
    this.last[key] = now;
    await work().catch((error: unknown) => log.warn(`collector ${this.id}: writing ${what} failed; retrying later`, error));
  }

  /** Starts checks for the instances this collector owns, restarts changed ones, stops the rest. */
  private assign(instances: TCheckedInstance[]) {
    const mine = instances.filter((instance) => ownerOf({ key: instance.id, collectorIds: this.liveIds }) === this.id);
    const keep = new Set<string>();
    for (const instance of mine) {
      keep.add(instance.id);
      const signature = checkSignature(instance);
      const current = this.checks.get(instance.id);
      if (current?.signature === signature) continue;
      current?.check.stop();
      const check = new InstanceCheck(instance, { onResult: (i, result) => this.onResult(i, result) });
      this.checks.set(instance.id, { check, signature });
      check.start();
    }
    for (const [id, { check }] of this.checks) {
      if (keep.has(id)) continue;
      check.stop();
      this.checks.delete(id);
    }
  }

  private onResult(instance: TCheckedInstance, result: { status: string; at: number; latencyMs: number }) {
    const failed = result.status === "fail";
    this.rollups.record({ instanceId: instance.instanceId, service: instance.service, at: result.at, failed, latencyMs: result.latencyMs });
    const touch = this.touched.get(instance.id) ?? { lastCheckAt: result.at };
    touch.lastCheckAt = result.at;
    if (!failed) touch.lastSuccessAt = result.at;
    this.touched.set(instance.id, touch);
  }

  private async flushTouched() {
    if (this.touched.size === 0) return;
    const batch = [...this.touched];
    this.touched.clear();
    // Times to the second: a thousand checks become a few statements, not a thousand.
    const bySecond = (pick: (touch: TTouch) => number | undefined) => {
      const groups = new Map<number, string[]>();
      for (const [id, touch] of batch) {
        const at = pick(touch);
        if (at === undefined) continue;
        const second = Math.floor(at / 1000) * 1000;
        groups.set(second, [...(groups.get(second) ?? []), id]);
      }
      return [...groups];
    };
    const writes = [
      ...bySecond((touch) => touch.lastCheckAt).map(([at, ids]) => db.instance.updateMany({ where: { id: { in: ids } }, data: { lastCheckAt: new Date(at) } })),
      ...bySecond((touch) => touch.lastSuccessAt).map(([at, ids]) => db.instance.updateMany({ where: { id: { in: ids } }, data: { lastSuccessAt: new Date(at) } })),
    ];
    try {
      await db.$transaction(writes);
    } catch (error) {
      // Put them back unless newer ones came in meanwhile.
      for (const [id, touch] of batch) if (!this.touched.has(id)) this.touched.set(id, touch);
      throw error;
    }
  }

  private dropAll(why: string) {
    this.metrics.stopAll();
    void this.sources.stopAll({ release: false });
    if (this.checks.size === 0) return;
    log.warn(`collector ${this.id}: stopping ${this.checks.size} checks because ${why}; they resume when the database answers`);
    for (const { check } of this.checks.values()) check.stop();
    this.checks.clear();
    this.liveIds = [];
  }

  /** Stops probing, writes what is still in memory, and gives up the lease so others take over at once. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const { check } of this.checks.values()) check.stop();
    this.checks.clear();
    await this.flushTouched().catch(() => undefined);
    await this.metrics.shutdown();
    await this.sources.stopAll({ release: true });
    await this.rollups.flush({ now: Date.now() + 60_000 }).catch(() => undefined);
    await releaseLease({ id: this.id }).catch(() => undefined);
  }
}

const globalForCollector = globalThis as unknown as { meshdeckCollector?: HealthCollector };

/** Starts this process's collector once; later calls return the same one. */
export function startHealthCollector(): HealthCollector {
  if (globalForCollector.meshdeckCollector) return globalForCollector.meshdeckCollector;
  const collector = new HealthCollector({ retentionDays: getEnv().MESHDECK_ROLLUP_RETENTION_DAYS });
  globalForCollector.meshdeckCollector = collector;
  collector.start();
  log.info(`health collector ${collector.id} started`);
  return collector;
}
