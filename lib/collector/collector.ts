import "server-only";
import { ownerOf } from "@/lib/balancing/rendezvous";
import { writeCheckTimes } from "@/lib/catalog/write-observations";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { log } from "@/lib/log";
import { MetricsCollector } from "@/lib/metrics/scrape/metrics-collector";
import { processSingleton } from "@/lib/process-singleton";
import { HeldSources } from "@/lib/sources/held-sources";
import { checkSignature, listCheckedInstances, type TCheckedInstance } from "./checked-instances";
import { InstanceCheck } from "./instance-check";
import { forgetDeadLeases, leaseLiveMs, leaseRenewMs, newCollectorId, releaseLease, renewLease } from "./lease";
import { deregisterCritical } from "./deregister-critical";
import { retireAbandoned } from "./retire-abandoned";
import { deleteOldRollups, ProbeRollups } from "./probe-rollups";

const maxBackoffMs = 30_000;

type TTouch = { lastCheckAt: number; lastSuccessAt?: number };

/** One thing the collector does every `everyMs`, at the lease renewal that falls due. */
type TCollectorJob = {
  name: string;
  everyMs: number;
  run: (now: number) => Promise<unknown>;
  /** Takes work by the live collectors: runs again when they change; a failure is the database's (the loop backs off). */
  assigns?: true;
};

/**
 * The collector: renews its lease every second and, at each renewal, runs the jobs that are due:
 * health checks and scrape targets for what rendezvous hashing gives it among the live collectors,
 * the sources it holds, the writes of what it measured, and retention.
 */
export class Collector {
  readonly id = newCollectorId();
  readonly checks = new Map<string, { check: InstanceCheck; signature: string }>();
  private readonly rollups = new ProbeRollups();
  private readonly touched = new Map<string, TTouch>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private liveIds: string[] = [];
  private leaseOkAt = 0;
  private failures = 0;
  readonly metrics: MetricsCollector;
  readonly sources = new HeldSources(this.id);
  /** In the order they run; every job runs at the first renewal. */
  readonly jobs: readonly TCollectorJob[] = [
    // The set of checked instances is read again this often: new, changed and removed ones.
    { name: "health checks", everyMs: 2000, assigns: true, run: () => this.assignChecks() },
    // Scrape targets change rarely and are scraped every 10 s: a new instance waits at most one more interval.
    { name: "scrape targets", everyMs: 5000, assigns: true, run: () => this.metrics.refresh({ liveIds: this.liveIds }) },
    { name: "source sync", everyMs: leaseRenewMs, run: (now) => this.sources.refresh({ liveIds: this.liveIds, now }) },
    // lastCheckAt / lastSuccessAt are written for all instances at once, this often.
    { name: "lastCheckAt", everyMs: 5000, run: () => this.flushTouched() },
    { name: "probe rollups", everyMs: 10_000, run: (now) => this.rollups.flush({ now }) },
    { name: "metric rollups", everyMs: 2000, run: (now) => this.metrics.flush({ now }) },
    { name: "1 min and 1 h metric rollups", everyMs: 10_000, run: (now) => this.metrics.compact({ now }) },
    { name: "retention", everyMs: 10 * 60_000, run: (now) => this.deleteOld(now) },
    { name: "deregister critical", everyMs: 5000, run: (now) => deregisterCritical({ now }) },
    { name: "retire abandoned services", everyMs: 5000, run: (now) => retireAbandoned({ retireAfterMs: getEnv().MESHDECK_RETIRE_AFTER, now }) },
  ];
  private readonly lastRunAt = new Map<TCollectorJob, number>();

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
    for (const job of this.jobs) {
      const due = now - (this.lastRunAt.get(job) ?? 0) >= job.everyMs;
      if (job.assigns) {
        if (!due && !liveChanged) continue;
        await job.run(now);
        this.lastRunAt.set(job, now);
      } else if (due) {
        this.lastRunAt.set(job, now);
        // Housekeeping that fails is tried again at its next turn; it must not slow the lease down.
        await job.run(now).catch((error: unknown) => log.warn(`collector ${this.id}: writing ${job.name} failed; retrying later`, error));
      }
    }
  }

  private async assignChecks() {
    this.assign(await listCheckedInstances());
  }

  private async deleteOld(now: number) {
    await this.metrics.deleteOld({ now });
    const deleted = await deleteOldRollups({ retentionDays: this.options.retentionDays, now });
    await forgetDeadLeases();
    if (deleted) log.info(`collector: deleted ${deleted} probe rollups older than ${this.options.retentionDays} days`);
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
    try {
      await writeCheckTimes({ lastCheckAt: bySecond((touch) => touch.lastCheckAt), lastSuccessAt: bySecond((touch) => touch.lastSuccessAt) });
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

/** Starts this process's collector once; later calls return the same one. */
export function startCollector(): Collector {
  return processSingleton("meshdeck.collector", () => {
    const collector = new Collector({ retentionDays: getEnv().MESHDECK_ROLLUP_RETENTION_DAYS });
    collector.start();
    log.info(`collector ${collector.id} started`);
    return collector;
  });
}
