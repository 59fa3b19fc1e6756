import "server-only";
import { ownerOf } from "@/lib/balancing/rendezvous";
import { writeCheckTimes } from "@/lib/catalog/write-observations";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { log } from "@/lib/log";
import { MetricsCollector } from "@/lib/metrics/scrape/metrics-collector";
import { processSingleton } from "@/lib/process-singleton";
import { HeldDataPlanes } from "@/lib/dataplanes/held-data-planes";
import { HeldSources } from "@/lib/sources/held-sources";
import type { TScheduled } from "@/lib/health/check-schedule";
import { ScheduleTimer } from "@/lib/health/schedule-timer";
import { CheckedInstances, checkSignature, type TCheckedInstance } from "./checked-instances";
import { HealthWrites } from "./health-writes";
import { InstanceCheck } from "./instance-check";
import { forgetDeadLeases, leaseLiveMs, leaseRenewMs, newCollectorId, releaseLease, renewLease } from "./lease";
import { deregisterCritical } from "./deregister-critical";
import { retireAbandoned } from "./retire-abandoned";
import { deleteOldStatusChanges, setServiceStatus } from "./set-service-status";
import { deleteOldRollups, ProbeRollups } from "./probe-rollups";
import { evaluateAlerts } from "@/lib/alerts/evaluate-alerts";
import { notifyAlertmanager } from "@/lib/alerts/alertmanager";

// A collector whose database comes back must resume within seconds: one lease query per 5 s does not burden it.
const maxBackoffMs = 5000;
// Probes due within this of each other go out on one wake-up: a thousand checks a second take ~100 timers, not 1,000.
const wakeSlotMs = 10;

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
  readonly checks = new Map<string, { check: InstanceCheck; signature: string; scheduled: TScheduled }>();
  private readonly schedule = new ScheduleTimer<InstanceCheck>({ slotMs: wakeSlotMs, run: (check) => check.run() });
  private readonly checked = new CheckedInstances();
  private readonly writes = new HealthWrites((id) => this.checks.get(id)?.check.instance.instanceId ?? id);
  private readonly rollups = new ProbeRollups();
  private readonly touched = new Map<string, TTouch>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private liveIds: string[] = [];
  /** The live collectors the checks were last handed out among. */
  private assignedTo: string[] | null = null;
  private leaseOkAt = 0;
  private inRound = false;
  private keepAlive?: NodeJS.Timeout;
  private renewing = false;
  private failures = 0;
  readonly metrics: MetricsCollector;
  private readonly retainMs: Record<number, number>;
  readonly sources = new HeldSources(this.id);
  readonly dataPlanes = new HeldDataPlanes(this.id);
  /** In the order they run; every job runs at the first renewal. */
  readonly jobs: readonly TCollectorJob[] = [
    // The set of checked instances is read again this often: new, changed and removed ones.
    { name: "health checks", everyMs: 2000, assigns: true, run: (now) => this.assignChecks(now) },
    // Scrape targets change rarely and are scraped every 10 s: a new instance waits at most one more interval.
    { name: "scrape targets", everyMs: 5000, assigns: true, run: () => this.metrics.refresh({ liveIds: this.liveIds }) },
    { name: "source sync", everyMs: leaseRenewMs, run: (now) => this.sources.refresh({ liveIds: this.liveIds, now }) },
    { name: "data planes", everyMs: leaseRenewMs, run: (now) => this.dataPlanes.refresh({ liveIds: this.liveIds, now }) },
    // lastCheckAt / lastSuccessAt are written for all instances at once, this often.
    { name: "lastCheckAt", everyMs: 5000, run: () => this.flushTouched() },
    { name: "probe rollups", everyMs: 10_000, run: (now) => this.rollups.flush({ now }) },
    { name: "metric rollups", everyMs: 2000, run: (now) => this.metrics.flush({ now }) },
    { name: "1 min and 1 h metric rollups", everyMs: 10_000, run: (now) => this.metrics.compact({ now }) },
    { name: "retention", everyMs: 10 * 60_000, run: (now) => this.deleteOld(now) },
    { name: "deregister critical", everyMs: 5000, run: (now) => deregisterCritical({ now }) },
    { name: "retire abandoned services", everyMs: 5000, run: (now) => retireAbandoned({ retireAfterMs: getEnv().MESHDECK_RETIRE_AFTER, now }) },
    { name: "service status", everyMs: 10_000, run: (now) => this.setServiceStatus(now) },
    // Alert rules are read from the rollups for the whole fleet at once, by one collector: the one the key "alerts" hashes to.
    { name: "alert rules", everyMs: 15_000, run: (now) => this.evaluateAlerts(now) },
  ];
  private readonly lastRunAt = new Map<TCollectorJob, number>();

  constructor(private readonly options: { retentionDays: number; metricsRetainMs?: Record<number, number> }) {
    this.retainMs = options.metricsRetainMs ?? metricsRetainMs(getEnv());
    this.metrics = new MetricsCollector({ collectorId: this.id, retainMs: this.retainMs });
  }

  start() {
    this.keepAlive = setInterval(() => this.renewDuringRound(), leaseRenewMs);
    void this.loop();
  }

  // A round longer than the renewal interval (the service status job, the minute's rollups, a slow database) must not
  // let the lease lapse: the others would take this collector's checks while it still runs them.
  private renewDuringRound() {
    if (!this.inRound || this.renewing || Date.now() - this.leaseOkAt < leaseRenewMs) return;
    this.renewing = true;
    const at = Date.now();
    void renewLease({ id: this.id })
      .then(() => void (this.leaseOkAt = at))
      .catch(() => undefined)
      .finally(() => (this.renewing = false));
  }

  private async loop() {
    if (this.stopped) return;
    this.inRound = true;
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
    this.inRound = false;
    if (this.stopped) return;
    const delay = this.failures ? Math.min(maxBackoffMs, leaseRenewMs * 2 ** (this.failures - 1)) : leaseRenewMs;
    this.timer = setTimeout(() => void this.loop(), delay);
  }

  private async runDue(now: number) {
    const live = await renewLease({ id: this.id });
    this.leaseOkAt = now;
    const liveChanged = live.sort().join() !== this.liveIds.join();
    // Kept as the same array while unchanged: the checks are handed out again only when it is replaced.
    if (liveChanged) this.liveIds = live;
    let failed: Error | undefined;
    for (const job of this.jobs) {
      const due = now - (this.lastRunAt.get(job) ?? 0) >= job.everyMs;
      if (job.assigns) {
        if (!due && !liveChanged) continue;
        // One assignment failing must not starve the others (the sources, say): each is tried, the first error thrown.
        try {
          await job.run(now);
          this.lastRunAt.set(job, now);
        } catch (error) {
          failed ??= error instanceof Error ? error : new Error(String(error));
        }
      } else if (due) {
        this.lastRunAt.set(job, now);
        // Housekeeping that fails is tried again at its next turn; it must not slow the lease down.
        await job.run(now).catch((error: unknown) => log.warn(`collector ${this.id}: writing ${job.name} failed; retrying later`, error));
      }
    }
    if (failed) throw failed;
  }

  // The list is read again only as far as it changed; the work is handed out again when it or the live collectors did.
  private async assignChecks(now: number) {
    const changed = await this.checked.refresh({ now });
    if (changed || this.assignedTo !== this.liveIds) this.assign(this.checked.byId.values());
    this.assignedTo = this.liveIds;
  }

  // Every service at once, by one collector: the one the live collectors' hashing gives the job to.
  private async setServiceStatus(now: number) {
    if (ownerOf({ key: "service status", collectorIds: this.liveIds }) !== this.id) return;
    await setServiceStatus({ now, retainMs: this.retainMs });
  }

  private async evaluateAlerts(now: number) {
    if (ownerOf({ key: "alerts", collectorIds: this.liveIds }) !== this.id) return;
    await evaluateAlerts({ now });
    await notifyAlertmanager({ now });
  }

  private async deleteOld(now: number) {
    await this.metrics.deleteOld({ now });
    await deleteOldStatusChanges({ retentionDays: this.options.retentionDays, now });
    const deleted = await deleteOldRollups({ retentionDays: this.options.retentionDays, now });
    await forgetDeadLeases();
    if (deleted) log.info(`collector: deleted ${deleted} probe rollups older than ${this.options.retentionDays} days`);
  }

  /** Starts checks for the instances this collector owns, restarts changed ones, stops the rest. */
  private assign(instances: Iterable<TCheckedInstance>) {
    const mine = [...instances].filter((instance) => ownerOf({ key: instance.id, collectorIds: this.liveIds }) === this.id);
    const keep = new Set<string>();
    for (const instance of mine) {
      keep.add(instance.id);
      const signature = checkSignature(instance);
      const current = this.checks.get(instance.id);
      if (current?.signature === signature) continue;
      if (current) this.unschedule(instance.id);
      const check = new InstanceCheck(instance, {
        onResult: (i, result, at) => this.onResult(i, result, at),
        onWrite: (id, write) => this.writes.add(id, write),
      });
      // The first probe waits a random part of the interval, so a thousand instances do not fire together.
      const scheduled = this.schedule.add(check, { firstAt: Date.now() + Math.random() * instance.intervalMs, intervalMs: instance.intervalMs });
      this.checks.set(instance.id, { check, signature, scheduled });
    }
    for (const id of this.checks.keys()) if (!keep.has(id)) this.unschedule(id);
  }

  private unschedule(id: string) {
    const current = this.checks.get(id);
    if (!current) return;
    current.check.stop();
    this.schedule.remove(current.scheduled);
    this.writes.forget(id);
    this.checks.delete(id);
  }

  private onResult(instance: TCheckedInstance, result: { status: string; latencyMs: number }, at: number) {
    const failed = result.status === "fail";
    this.rollups.record({ instanceId: instance.instanceId, service: instance.service, at, failed, latencyMs: result.latencyMs });
    let touch = this.touched.get(instance.id);
    if (!touch) this.touched.set(instance.id, (touch = { lastCheckAt: at }));
    touch.lastCheckAt = at;
    if (!failed) touch.lastSuccessAt = at;
  }

  private async flushTouched() {
    if (this.touched.size === 0) return;
    const batch = [...this.touched];
    this.touched.clear();
    try {
      // A few statements for a thousand instances, not one each; between health batches, never beside one.
      await this.writes.exclusive(() => writeCheckTimes(batch.map(([id, touch]) => ({ id, ...touch }))));
    } catch (error) {
      // Put them back unless newer ones came in meanwhile.
      for (const [id, touch] of batch) if (!this.touched.has(id)) this.touched.set(id, touch);
      throw error;
    }
  }

  private dropAll(why: string) {
    if (this.liveIds.length === 0) return;
    log.warn(
      `collector ${this.id}: stopping ${this.checks.size} checks, its scrapes, sources and data planes because ${why}; they resume when the database answers`,
    );
    this.metrics.stopAll();
    void this.sources.stopAll({ release: false });
    void this.dataPlanes.stopAll({ release: false });
    for (const id of [...this.checks.keys()]) this.unschedule(id);
    this.liveIds = [];
  }

  /** Stops probing, writes what is still in memory, and gives up the lease so others take over at once. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.keepAlive);
    this.schedule.stop();
    for (const id of [...this.checks.keys()]) this.unschedule(id);
    this.writes.stop();
    await this.flushTouched().catch(() => undefined);
    await this.metrics.shutdown();
    await this.sources.stopAll({ release: true });
    await this.dataPlanes.stopAll({ release: true });
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
