import "server-only";
import { ownerOf } from "@/lib/balancing/rendezvous";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { HaproxyDriver } from "./haproxy/haproxy-driver";
import { NginxDriver } from "./nginx/nginx-driver";

type TDriver = { start(): void; stop(): Promise<void> };

// A collector holds each data plane it drives this long past its last renewal (every second), as it holds sources:
// a dead collector's data planes go to another within seconds; two never drive one at once.
export const dataPlaneHoldMs = 4000;

/**
 * The data planes a collector drives: those rendezvous hashing gives it among the live collectors, each claimed in
 * the database first (compare-and-set on its owner). The collector runs them because it is the one process that
 * always runs (in the app by default, on its own when scaled out) and already splits work by lease.
 */
export class HeldDataPlanes {
  private readonly running = new Map<string, { driver: TDriver; signature: string }>();

  constructor(private readonly collectorId: string) {}

  async refresh({ liveIds, now = Date.now() }: { liveIds: string[]; now?: number }) {
    const planes = await db.dataPlane.findMany({ where: { enabled: true } });
    const held = new Set<string>();
    for (const plane of planes) {
      if (ownerOf({ key: `dataplane:${plane.id}`, collectorIds: liveIds }) !== this.collectorId) continue;
      const { count } = await db.dataPlane.updateMany({
        where: { id: plane.id, OR: [{ owner: this.collectorId }, { owner: null }, { ownerUntil: { lt: new Date(now) } }] },
        data: { owner: this.collectorId, ownerUntil: new Date(now + dataPlaneHoldMs) },
      });
      if (count === 0) continue;
      held.add(plane.id);
      // Changed settings start the driver over: a fresh connection and a full comparison.
      const signature = JSON.stringify([plane.kind, plane.address, plane.backends, plane.healthMode]);
      const current = this.running.get(plane.id);
      if (current?.signature === signature) continue;
      await current?.driver.stop();
      const driver = plane.kind === "nginx" ? new NginxDriver(plane) : new HaproxyDriver(plane);
      this.running.set(plane.id, { driver, signature });
      log.info(`collector ${this.collectorId}: driving data plane ${plane.name} (${plane.kind} at ${plane.address})`);
      driver.start();
    }
    for (const [id, { driver }] of this.running) {
      if (held.has(id)) continue;
      this.running.delete(id);
      await driver.stop();
      await db.dataPlane.updateMany({ where: { id, owner: this.collectorId }, data: { owner: null, ownerUntil: null } });
    }
  }

  /** Stops every driver; with `release`, hands the data planes back at once rather than when the hold runs out. */
  async stopAll({ release }: { release: boolean }) {
    const ids = [...this.running.keys()];
    await Promise.all([...this.running.values()].map(({ driver }) => driver.stop()));
    this.running.clear();
    if (release && ids.length)
      await db.dataPlane.updateMany({ where: { id: { in: ids }, owner: this.collectorId }, data: { owner: null, ownerUntil: null } }).catch(() => undefined);
  }
}
