import "server-only";
import { recordAudit, type TAuditInput } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { log } from "@/lib/log";

// A connected data plane's lastSeenAt is written this often at most.
const statusEveryMs = 2000;
const system = { type: "system", name: "meshdeck" } as const;

/** A data plane's status as its driver reports it: written when it or its note changes, else at most every 2 s. */
export class PlaneStatus {
  private status = "pending";
  private note: string | null = null;
  private writtenAt = 0;
  private driven: string | null = null;

  constructor(private readonly plane: { id: string; name: string }) {}

  get connected() {
    return this.status === "connected";
  }

  /** `note` says what is off on a connected one (or why it is stale); `driven` the backends it drives (encoded). */
  async set({ connected, note, driven }: { connected: boolean; note: string | null; driven?: string | null }) {
    const status = connected ? "connected" : "stale";
    const text = note?.slice(0, 500) ?? null;
    const drivenNow = connected && driven !== undefined ? driven : this.driven;
    const now = Date.now();
    const changed = status !== this.status || text !== this.note || drivenNow !== this.driven;
    if (!changed && (!connected || now - this.writtenAt < statusEveryMs)) return;
    if (status === "stale" && this.status !== "stale") log.warn(`data plane ${this.plane.name}: stale: ${text}`);
    if (status === "connected" && this.status === "stale") log.info(`data plane ${this.plane.name}: answering again; catalog replayed`);
    await db.dataPlane.updateMany({
      where: { id: this.plane.id },
      data: connected
        ? { status, error: text, lastSeenAt: new Date(now), staleSince: null, drivenBackends: drivenNow }
        : { status, error: text, ...(this.status !== "stale" ? { staleSince: new Date(now) } : {}) },
    });
    [this.status, this.note, this.writtenAt, this.driven] = [status, text, now, drivenNow];
  }

  /** An audit record by Meshdeck itself about this data plane (drift put back, a rendering refused). */
  async audit(input: Omit<TAuditInput, "actor" | "target">) {
    await transaction((tx) => recordAudit(tx, { ...input, actor: system, target: `dataplane/${this.plane.name}` })).catch((error: unknown) =>
      log.warn(`data plane ${this.plane.name}: recording ${input.action} failed`, error),
    );
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** A data plane's driver: one loop, started once, stopped by aborting it and waiting for the round in flight. */
export abstract class PlaneDriver {
  protected readonly stopped = new AbortController();
  protected readonly status: PlaneStatus;
  private done?: Promise<void>;

  constructor(plane: { id: string; name: string }) {
    this.status = new PlaneStatus(plane);
  }

  start() {
    this.done = this.loop();
  }

  async stop() {
    this.stopped.abort();
    await this.done;
  }

  protected abstract loop(): Promise<void>;
}
