import "server-only";
import { setInstanceHealth } from "@/lib/catalog/set-instance-health";
import { getEnv } from "@/lib/env";
import type { THealth } from "@/lib/health/health";
import { probeGrpc, probeHttp, probeScript, probeTcp, type TProbeResult } from "@/lib/health/probes";
import { advanceHealth, createHealthMachine, type THealthDecision, type THealthMachine } from "@/lib/health/state-machine";
import { log } from "@/lib/log";
import type { TCheckedInstance } from "./checked-instances";
import { setInstanceFlapping } from "./set-instance-flapping";

export type TCheckHooks = {
  /** Every probe result, for the minute rollups and the batched lastCheckAt / lastSuccessAt. */
  onResult: (instance: TCheckedInstance, result: TProbeResult & { at: number }) => void;
};

type TWrite = { kind: "health"; to: THealth; reason: string; detectionMs?: number } | { kind: "flapping"; on: boolean; health: THealth; reason: string };

// How many raw results each instance keeps, in memory only, for whoever wants the latest outputs.
const recentKept = 20;
const maxRetryMs = 30_000;

function probeOnce(kind: TCheckedInstance["kind"], target: { host: string; port: number; timeoutMs: number }, path: string): Promise<TProbeResult> {
  if (kind === "http") return probeHttp({ ...target, path });
  if (kind === "grpc") return probeGrpc({ ...target, service: path });
  if (kind === "script") {
    // Turning script checks off stops those registered while they were on, on this collector too.
    if (getEnv().MESHDECK_CONSUL_SCRIPT_CHECKS !== "1")
      return Promise.resolve({ status: "fail", output: "script checks are disabled (MESHDECK_CONSUL_SCRIPT_CHECKS)", latencyMs: 0 });
    return probeScript({ args: scriptArgs(path), timeoutMs: target.timeoutMs });
  }
  return probeTcp(target);
}

// A script check's arguments are stored as a JSON list; anything else runs nothing (and fails).
function scriptArgs(stored: string): string[] {
  try {
    const args: unknown = JSON.parse(stored);
    return Array.isArray(args) && args.every((arg) => typeof arg === "string") ? args : [];
  } catch {
    return [];
  }
}

/** One instance's check: probes at its interval, feeds its state machine, writes what it decides, in order. */
export class InstanceCheck {
  machine: THealthMachine;
  readonly recent: (TProbeResult & { at: number })[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly writes: TWrite[] = [];
  private writing = false;

  constructor(
    readonly instance: TCheckedInstance,
    private readonly hooks: TCheckHooks,
  ) {
    const { rise, fall, health, lastSuccessAt, flapping } = instance;
    // Detection counts from the last success seen; before this collector started watching, nobody saw.
    const lastOkAt = lastSuccessAt === null ? null : Date.now();
    this.machine = createHealthMachine({ rise, fall, health, lastOkAt, flapping });
  }

  /** The first probe waits a random part of the interval, so a thousand instances do not fire together. */
  start() {
    this.timer = setTimeout(() => void this.tick(), Math.random() * this.instance.intervalMs);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async tick() {
    if (this.stopped) return;
    const started = Date.now();
    const { host, port, path, timeoutMs, kind } = this.instance;
    const target = { host, port, timeoutMs };
    const result = { ...(await probeOnce(kind, target, path)), at: Date.now() };
    if (this.stopped) return;
    // Fixed rate from each probe's start, so a slow answer does not stretch the interval.
    this.timer = setTimeout(() => void this.tick(), Math.max(0, started + this.instance.intervalMs - Date.now()));
    this.recent.push(result);
    if (this.recent.length > recentKept) this.recent.shift();
    this.hooks.onResult(this.instance, result);
    const step = advanceHealth(this.machine, result);
    this.machine = step.machine;
    for (const decision of step.decisions) this.enqueue(decision, result.output);
  }

  private enqueue(decision: THealthDecision, output: string) {
    if (decision.type === "transition") {
      const last = this.writes.at(-1);
      const write: TWrite = {
        kind: "health",
        to: decision.to,
        reason: output,
        ...(decision.detectionMs === undefined ? {} : { detectionMs: decision.detectionMs }),
      };
      // While the database is away, only the latest health is worth writing (the head is in flight).
      if (this.writes.length > 1 && last?.kind === "health") this.writes[this.writes.length - 1] = write;
      else this.writes.push(write);
    } else {
      const on = decision.type === "flapping-start";
      const reason = `${on ? "flapping" : "calmed down"}: ${decision.changes} changes in the last minute; last output: ${output}`;
      this.writes.push({ kind: "flapping", on, health: decision.health, reason });
      // A flapping instance takes no traffic until it settles: a safe default, and one failover, not a storm.
      this.writes.push(on ? { kind: "health", to: "critical", reason } : { kind: "health", to: decision.health, reason: output });
    }
    void this.drain();
  }

  // Writes leave in order, each retried with backoff until the database takes it: none is lost.
  private async drain() {
    if (this.writing) return;
    this.writing = true;
    let failures = 0;
    for (let write = this.writes[0]; write && !this.stopped; write = this.writes[0]) {
      try {
        if (write.kind === "health") {
          await setInstanceHealth({
            id: this.instance.id,
            to: write.to,
            reason: write.reason,
            ...(write.detectionMs === undefined ? {} : { detectionMs: write.detectionMs }),
          });
        } else {
          await setInstanceFlapping({ id: this.instance.id, flapping: write.on, health: write.health, reason: write.reason });
        }
        this.writes.shift();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1) log.warn(`health of ${this.instance.instanceId} not written yet; retrying`, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxRetryMs, 500 * 2 ** failures)));
      }
    }
    this.writing = false;
  }
}
