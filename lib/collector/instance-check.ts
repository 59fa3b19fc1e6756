import "server-only";
import { getEnv } from "@/lib/env";
import { HttpCheck, probeGrpc, probeScript, TcpCheck, type TProbeResult } from "@/lib/health/probes";
import { advanceHealth, createHealthMachine, type THealthDecision, type THealthMachine } from "@/lib/health/state-machine";
import type { TCheckedInstance } from "./checked-instances";
import type { THealthWrite } from "./health-writes";

export type TCheckHooks = {
  /** Every probe result, for the minute rollups and the batched lastCheckAt / lastSuccessAt. */
  onResult: (instance: TCheckedInstance, result: TProbeResult, at: number) => void;
  /** What the state machine decided, to be written in order (see HealthWrites). */
  onWrite: (id: string, write: THealthWrite) => void;
};

// gRPC and script checks; HTTP and TCP ones are kept per instance (InstanceCheck.probe).
function probeOnce(instance: TCheckedInstance): Promise<TProbeResult> {
  const { kind, host, port, timeoutMs, path } = instance;
  if (kind === "grpc") return probeGrpc({ host, port, timeoutMs, service: path });
  if (kind === "script") {
    // Turning script checks off stops those registered while they were on, on this collector too.
    if (getEnv().MESHDECK_CONSUL_SCRIPT_CHECKS !== "1")
      return Promise.resolve({ status: "fail", output: "script checks are disabled (MESHDECK_CONSUL_SCRIPT_CHECKS)", latencyMs: 0 });
    return probeScript({ args: scriptArgs(path), timeoutMs });
  }
  return Promise.resolve({ status: "fail", output: `no probe for ${kind} checks`, latencyMs: 0 });
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

/**
 * One instance's check: a probe each time the collector's schedule says it is due, fed to its state machine,
 * whose decisions go to the collector's batched writes. It holds no history: the database has it.
 */
export class InstanceCheck {
  machine: THealthMachine;
  private probing = false;
  private stopped = false;
  // An HTTP check keeps its connection between probes; a TCP check its address, options and outputs.
  private readonly probe: HttpCheck | TcpCheck | null;
  // One callback for every probe's result, not a promise and a closure each.
  private readonly settled = (result: TProbeResult) => this.settle(result);

  constructor(
    readonly instance: TCheckedInstance,
    private readonly hooks: TCheckHooks,
  ) {
    const { rise, fall, health, lastSuccessAt, flapping } = instance;
    // Detection counts from the last success seen (a passing health is one); before any collector watched, nobody saw.
    const seen = lastSuccessAt !== null || health === "passing" || health === "warning";
    const lastOkAt = seen ? Date.now() : null;
    this.machine = createHealthMachine({ rise, fall, health, lastOkAt, flapping });
    this.probe = instance.kind === "http" ? new HttpCheck(instance) : instance.kind === "tcp" ? new TcpCheck(instance) : null;
  }

  stop() {
    this.stopped = true;
    if (this.probe instanceof HttpCheck) this.probe.close();
  }

  /** Probes once, unless the last probe is still out (a slow answer skips a turn rather than doubling up). */
  run() {
    if (this.probing || this.stopped) return;
    this.probing = true;
    if (this.probe) this.probe.run(this.settled);
    else void probeOnce(this.instance).then(this.settled);
  }

  private settle(result: TProbeResult) {
    this.probing = false;
    if (this.stopped) return;
    const at = Date.now();
    this.hooks.onResult(this.instance, result, at);
    const step = advanceHealth(this.machine, { status: result.status, at });
    this.machine = step.machine;
    for (const decision of step.decisions) this.decide(decision, result.output);
  }

  private decide(decision: THealthDecision, output: string) {
    const { id } = this.instance;
    if (decision.type === "transition") {
      this.hooks.onWrite(id, {
        kind: "health",
        to: decision.to,
        reason: output,
        ...(decision.detectionMs === undefined ? {} : { detectionMs: decision.detectionMs }),
      });
      return;
    }
    const on = decision.type === "flapping-start";
    const reason = `${on ? "flapping" : "calmed down"}: ${decision.changes} changes in the last minute; last output: ${output}`;
    this.hooks.onWrite(id, { kind: "flapping", on, health: decision.health, reason });
    // A flapping instance takes no traffic until it settles: a safe default, and one failover, not a storm.
    this.hooks.onWrite(id, on ? { kind: "health", to: "critical", reason } : { kind: "health", to: decision.health, reason: output });
  }
}
