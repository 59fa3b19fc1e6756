import "server-only";
import { db } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";

// Probe results stay in memory; the database gets one row per instance per minute once the minute
// is over (checks, failures, latency avg and max), never a row per probe.
type TRollup = { instanceId: string; service: string; minute: number; checks: number; failures: number; latencySum: number; latencyMax: number };

const minuteMs = 60_000;

export class ProbeRollups {
  /** Each instance's rollup of its latest minute; minutes it has left wait in `closed` for the flush. */
  private readonly latest = new Map<string, TRollup>();
  private closed: TRollup[] = [];

  record({ instanceId, service, at, failed, latencyMs }: { instanceId: string; service: string; at: number; failed: boolean; latencyMs: number }) {
    const minute = at - (at % minuteMs);
    let rollup = this.latest.get(instanceId);
    if (rollup?.minute !== minute) {
      if (rollup) this.closed.push(rollup);
      this.latest.set(instanceId, (rollup = { instanceId, service, minute, checks: 0, failures: 0, latencySum: 0, latencyMax: 0 }));
    }
    rollup.checks += 1;
    if (failed) rollup.failures += 1;
    rollup.latencySum += latencyMs;
    if (latencyMs > rollup.latencyMax) rollup.latencyMax = latencyMs;
  }

  // Takes the minutes ended before `current` out of memory, one rollup per instance and minute.
  private takeDone(current: number): { taken: TRollup[]; done: Map<string, TRollup> } {
    const taken = this.closed.filter((r) => r.minute < current);
    this.closed = this.closed.filter((r) => r.minute >= current);
    for (const [id, r] of this.latest)
      if (r.minute < current) {
        taken.push(r);
        this.latest.delete(id);
      }
    const done = new Map<string, TRollup>();
    for (const r of taken) {
      const key = `${r.instanceId}\0${r.minute}`;
      const seen = done.get(key);
      done.set(
        key,
        seen
          ? {
              ...seen,
              checks: seen.checks + r.checks,
              failures: seen.failures + r.failures,
              latencySum: seen.latencySum + r.latencySum,
              latencyMax: Math.max(seen.latencyMax, r.latencyMax),
            }
          : r,
      );
    }
    return { taken, done };
  }

  /** Writes the minutes that ended before `now`; a row another collector wrote (a handover) is merged. */
  async flush({ now = Date.now() }: { now?: number } = {}): Promise<number> {
    const current = now - (now % minuteMs);
    const { taken, done: byMinute } = this.takeDone(current);
    if (taken.length === 0) return 0;
    try {
      return await this.write([...byMinute.entries()]);
    } catch (error) {
      // Back in memory: a failed flush is tried again with the same rollups.
      this.closed.push(...taken);
      throw error;
    }
  }

  private async write(done: [string, TRollup][]): Promise<number> {
    const rollups = done.map(([, rollup]) => rollup);
    // A minute's instances go in parts: a list inside OR would grow the query's parameters with the fleet.
    const existing = [];
    for (const minute of new Set(rollups.map((r) => r.minute))) {
      const ids = rollups.filter((r) => r.minute === minute).map((r) => r.instanceId);
      for (const part of chunked(ids)) existing.push(...(await db.probeRollup.findMany({ where: { minute: new Date(minute), instanceId: { in: part } } })));
    }
    const byKey = new Map(existing.map((row) => [`${row.instanceId}\0${row.minute.getTime()}`, row]));
    const creates = [];
    const updates = [];
    for (const [key, r] of done) {
      const row = byKey.get(key);
      if (!row) {
        creates.push({
          instanceId: r.instanceId,
          service: r.service,
          minute: new Date(r.minute),
          checks: r.checks,
          failures: r.failures,
          latencyAvgMs: r.latencySum / r.checks,
          latencyMaxMs: r.latencyMax,
        });
        continue;
      }
      const checks = row.checks + r.checks;
      updates.push(
        db.probeRollup.update({
          where: { instanceId_minute: { instanceId: r.instanceId, minute: row.minute } },
          data: {
            checks,
            failures: row.failures + r.failures,
            latencyAvgMs: (row.latencyAvgMs * row.checks + r.latencySum) / checks,
            latencyMaxMs: Math.max(row.latencyMaxMs, r.latencyMax),
          },
        }),
      );
    }
    await db.$transaction([...(creates.length ? [db.probeRollup.createMany({ data: creates })] : []), ...updates]);
    return done.length;
  }
}

export async function deleteOldRollups({ retentionDays, now = Date.now() }: { retentionDays: number; now?: number }): Promise<number> {
  const { count } = await db.probeRollup.deleteMany({ where: { minute: { lt: new Date(now - retentionDays * 86_400_000) } } });
  return count;
}
