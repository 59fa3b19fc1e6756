import "server-only";
import { createHash } from "node:crypto";
import { ownerOf } from "@/lib/balancing/rendezvous";
import { writeScrapeStatuses, type TScrapeStatus } from "@/lib/catalog/write-observations";
import type { TScheduled } from "@/lib/health/check-schedule";
import { ScheduleTimer } from "@/lib/health/schedule-timer";
import { log } from "@/lib/log";
import { getMetricsSettings, type TMetricsSettings } from "../metrics-settings";
import { MetricWindows, windowMs } from "../rollup/metric-windows";
import type { TRollupRow } from "../rollup/rollup-rows";
import { compactRollups, deleteOldMetricRollups, writeRollupRows } from "../rollup/rollup-store";
import type { TScrapeSignals } from "../types";
import { InstanceSignals } from "./derive";
import { MetricsEndpoint } from "./fetch-metrics";
import { isOpenMetrics } from "./parse";
import { readFromPrometheus } from "./prometheus-source";
import { listScrapeTargets, targetSignature, type TScrapeTarget } from "./scrape-targets";

const minuteMs = 60_000;
const hourMs = 3_600_000;
// Rows that could not be written wait for the next flush, up to this many; older ones are dropped.
const maxPendingRows = 200_000;
// Scrapes due within this of each other go out on one wake-up: at most 10 timers a second, however many targets.
const wakeSlotMs = 100;

type TScraping = {
  target: TScrapeTarget;
  signature: string;
  signals: InstanceSignals;
  endpoint: MetricsEndpoint | null;
  scheduled?: TScheduled;
};

// Each target keeps its own phase within the interval, so scrapes spread evenly instead of bursting.
function nextPhasePoint(id: string, intervalMs: number, now = Date.now()): number {
  const phase = createHash("sha1").update(id).digest().readUInt32BE(0) % intervalMs;
  return Math.floor((now - phase) / intervalMs + 1) * intervalMs + phase;
}

/**
 * The metrics half of a collector: scrapes the instances of the services it owns (or reads them
 * from Prometheus), turns scrapes into golden signals and writes 10 s rollups, then 1 min and 1 h ones.
 */
export class MetricsCollector {
  private readonly scraping = new Map<string, TScraping>();
  private readonly schedule = new ScheduleTimer<TScraping>({ slotMs: wakeSlotMs, run: (scraping, dueAt) => void this.scrape(scraping, dueAt) });
  private readonly windows = new MetricWindows();
  private readonly statuses = new Map<string, TScrapeStatus>();
  private pending: TRollupRow[] = [];
  private settings?: TMetricsSettings;
  private services: string[] = [];
  private stopped = false;
  private prometheusTimer?: NodeJS.Timeout;
  private compacted = { minute: 0, hour: 0 };

  constructor(private readonly options: { collectorId: string; retainMs: Record<number, number> }) {}

  /** Takes the targets of the services this collector owns among the live ones. */
  async refresh({ liveIds }: { liveIds: string[] }) {
    const settings = await getMetricsSettings();
    const changed = JSON.stringify(settings) !== JSON.stringify(this.settings);
    this.settings = settings;
    if (changed) this.stopAll();
    const targets = (await listScrapeTargets()).filter(
      (target) => ownerOf({ key: `metrics:${target.service}`, collectorIds: liveIds }) === this.options.collectorId,
    );
    this.services = [...new Set(targets.map((target) => target.service))];
    const keep = new Set<string>();
    for (const target of targets) {
      keep.add(target.id);
      const signature = targetSignature(target);
      if (this.scraping.get(target.id)?.signature === signature) continue;
      this.stop(target.id);
      const endpoint = settings.source === "scrape" ? new MetricsEndpoint({ ...target, timeoutMs: settings.timeout }) : null;
      const scraping: TScraping = { target, signature, signals: new InstanceSignals(settings.names), endpoint };
      this.scraping.set(target.id, scraping);
      if (settings.source === "scrape")
        scraping.scheduled = this.schedule.add(scraping, { firstAt: nextPhasePoint(target.id, settings.interval), intervalMs: settings.interval });
    }
    for (const id of this.scraping.keys()) if (!keep.has(id)) this.stop(id);
    if (settings.source === "prometheus" && !this.prometheusTimer) this.schedulePrometheus();
  }

  private async scrape(scraping: TScraping, scheduledAt: number) {
    const { target } = scraping;
    const settings = this.settings;
    const { endpoint } = scraping;
    if (this.stopped || !settings || !endpoint || this.scraping.get(target.id) !== scraping) return;
    const started = performance.now();
    try {
      const { body, contentType } = await endpoint.fetch();
      const scrape = scraping.signals.scrape(body, { openMetrics: isOpenMetrics(contentType), atMs: scheduledAt });
      this.record(scraping, scheduledAt, scrape, started);
    } catch (error) {
      this.statuses.set(target.id, { at: scheduledAt, error: error instanceof Error ? error.message : String(error), durationMs: performance.now() - started });
    }
  }

  private record(scraping: TScraping, scheduledAt: number, scrape: TScrapeSignals | null, started: number) {
    const { target } = scraping;
    if (scrape) this.windows.record({ service: target.service, instanceId: target.instanceId, scheduledAt, scrape });
    this.statuses.set(target.id, { at: scheduledAt, error: null, durationMs: performance.now() - started });
  }

  private schedulePrometheus(after = Date.now()) {
    const intervalMs = this.settings?.interval ?? windowMs;
    const now = Date.now();
    const next = Math.floor(Math.max(now, after) / intervalMs + 1) * intervalMs;
    this.prometheusTimer = setTimeout(() => void this.readPrometheus(next), next - now);
  }

  private async readPrometheus(scheduledAt: number) {
    this.prometheusTimer = undefined;
    const settings = this.settings;
    if (this.stopped || settings?.source !== "prometheus" || !settings.prometheusUrl) return;
    this.schedulePrometheus(scheduledAt);
    const started = performance.now();
    const targets = [...this.scraping.values()];
    try {
      const results = await readFromPrometheus({
        url: settings.prometheusUrl,
        names: settings.names,
        timeoutMs: settings.timeout,
        targets: targets.map((s) => s.target),
      });
      for (const scraping of targets) {
        const result = results.get(scraping.target.id);
        if (!result || "error" in result) {
          this.statuses.set(scraping.target.id, {
            at: scheduledAt,
            error: result?.error ?? "not among Prometheus's targets",
            durationMs: performance.now() - started,
          });
          continue;
        }
        this.record(scraping, scheduledAt, scraping.signals.next(result.families, scheduledAt), started);
      }
    } catch (error) {
      const message = `Prometheus: ${error instanceof Error ? error.message : String(error)}`;
      for (const { target } of targets) this.statuses.set(target.id, { at: scheduledAt, error: message, durationMs: performance.now() - started });
    }
  }

  /** Writes the closed 10 s windows and the scrape statuses; called every couple of seconds. */
  async flush({ now = Date.now() }: { now?: number } = {}) {
    const graceMs = (this.settings?.timeout ?? 5000) + 1000;
    const rows = [...this.pending, ...this.windows.take({ closedBefore: now - graceMs })];
    this.pending = [];
    try {
      await writeRollupRows(rows);
    } catch (error) {
      this.pending = rows.slice(-maxPendingRows);
      throw error;
    }
    if (this.statuses.size === 0) return;
    const statuses = new Map(this.statuses);
    this.statuses.clear();
    try {
      await writeScrapeStatuses(statuses);
    } catch (error) {
      // Put them back unless newer ones came in meanwhile.
      for (const [id, status] of statuses) if (!this.statuses.has(id)) this.statuses.set(id, status);
      throw error;
    }
  }

  /** Once a minute (and an hour) is over and its rows are in, merges them into 1 min and 1 h rows. */
  async compact({ now = Date.now() }: { now?: number } = {}) {
    const settled = now - 2 * windowMs - (this.settings?.timeout ?? 5000);
    const minute = Math.floor(settled / minuteMs) * minuteMs;
    // After a start or a handover, the last few minutes are built again; rows merge by key.
    const fromMinute = Math.max(this.compacted.minute, minute - 3 * minuteMs);
    if (minute > fromMinute) {
      await compactRollups({ services: this.services, finer: 10, resolution: 60, fromMs: fromMinute, toMs: minute });
      this.compacted.minute = minute;
    }
    // An hour is complete once its last minute is.
    const hour = Math.floor(this.compacted.minute / hourMs) * hourMs;
    const fromHour = Math.max(this.compacted.hour, hour - hourMs);
    if (hour > fromHour) {
      await compactRollups({ services: this.services, finer: 60, resolution: 3600, fromMs: fromHour, toMs: hour });
      this.compacted.hour = hour;
    }
  }

  async deleteOld({ now = Date.now() }: { now?: number } = {}) {
    const deleted = await deleteOldMetricRollups({ retainMs: this.options.retainMs, now });
    if (deleted) log.info(`collector: deleted ${deleted} metric rollups past their retention`);
  }

  private stop(id: string) {
    const scraping = this.scraping.get(id);
    if (scraping?.scheduled) this.schedule.remove(scraping.scheduled);
    scraping?.endpoint?.close();
    this.scraping.delete(id);
  }

  /** Drops every target, e.g. when the lease lapsed; they come back with the next refresh. */
  stopAll() {
    for (const id of [...this.scraping.keys()]) this.stop(id);
    clearTimeout(this.prometheusTimer);
    this.prometheusTimer = undefined;
  }

  async shutdown() {
    this.stopped = true;
    this.schedule.stop();
    this.stopAll();
    await this.flush({ now: Date.now() + windowMs + 60_000 }).catch(() => undefined);
  }
}
