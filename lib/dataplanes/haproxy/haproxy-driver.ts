import "server-only";
import { waitForChange } from "@/lib/catalog/catalog-index";
import { encodeDrivenBackends } from "@/lib/db/codecs";
import { getEnv } from "@/lib/env";
import { groupBy } from "@/lib/group-by";
import { log } from "@/lib/log";
import { getCatalogSnapshot } from "../catalog-snapshot";
import { mapBackends } from "../map-backends";
import { PlaneDriver, sleep } from "../plane-status";
import type { TBackendMap, THealthMode } from "../types";
import { parseBackends, parseServersState } from "./parse";
import { commandSucceeded, desiredServers, haproxyNamePattern, planBackend, serverSignature, type TPlannedCommand } from "./plan";
import { runCommands } from "./runtime-api";

export type THaproxyPlane = { id: string; name: string; address: string; backends: TBackendMap; healthMode: THealthMode };

// An audit record names this many servers at most; the count says how many there were.
const auditedServers = 20;
// A data plane that does not answer is tried again after 250 ms, doubling up to the repair interval.
const minRetryMs = 250;

export type TConvergeResult = { commands: number; failed: string[]; drift: { backend: string; server: string; change: string }[] };

/**
 * Drives one HAProxy from the catalog through its Runtime API: at start, at every catalog change, and every
 * MESHDECK_DATAPLANE_REPAIR, it diffs `show servers state` of each mapped backend against the catalog and sends what
 * differs. Changes HAProxy did not get while it was away are sent when it answers again, since each round converges
 * from the catalog as it is; a change Meshdeck had made and finds undone (by hand, or a restart) is audited as drift.
 */
export class HaproxyDriver extends PlaneDriver {
  /** What was last applied to each server (`backend/server`), to tell drift from a catalog change. */
  private readonly applied = new Map<string, string>();
  private converged = false;
  /** The backends driven, as the last round found them (encoded for DataPlane.drivenBackends). */
  private driven: string | null = null;
  private lastNote: string | null = null;

  constructor(private readonly plane: THaproxyPlane) {
    super(plane);
  }

  protected async loop() {
    const repairMs = getEnv().MESHDECK_DATAPLANE_REPAIR;
    let retryMs = 0;
    while (!this.stopped.signal.aborted) {
      let index: number | undefined;
      try {
        index = (await this.convergeOnce()).index;
        retryMs = 0;
        await this.status.set({ connected: true, note: this.lastNote, driven: this.driven });
      } catch (error) {
        if (this.stopped.signal.aborted) break;
        retryMs = Math.min(repairMs, retryMs === 0 ? minRetryMs : retryMs * 2);
        await this.status.set({ connected: false, note: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
      }
      if (index === undefined) await sleep(retryMs, this.stopped.signal);
      else await waitForChange({ index, waitMs: repairMs, signal: this.stopped.signal }).catch(() => sleep(minRetryMs, this.stopped.signal));
    }
  }

  /** One round: read HAProxy and the catalog, send the difference. Throws when HAProxy does not answer. */
  async convergeOnce(): Promise<TConvergeResult & { index: number }> {
    const { address, healthMode: mode } = this.plane;
    const snapshot = await getCatalogSnapshot();
    const [backendText, stateText] = await runCommands({ address, commands: ["show backend", "show servers state"] });
    const { mapped, missing } = mapBackends({ backends: this.plane.backends, proxyBackends: parseBackends(backendText!), services: snapshot.services.keys() });
    // Grouped once: a thousand backends are not each a pass over ten thousand servers.
    const actual = groupBy(parseServersState(stateText!), (server) => server.backend);
    this.driven = encodeDrivenBackends(mapped.map(({ service, backend }) => [service, backend]));
    const planned: TPlannedCommand[] = [];
    const wanted = new Map<string, string>();
    const skipped: string[] = [];
    for (const { service, backend } of mapped) {
      if (!haproxyNamePattern.test(backend)) continue;
      const desired = desiredServers(snapshot.services.get(service) ?? []);
      skipped.push(...desired.skipped.map((id) => `${service}/${id}`));
      for (const server of desired.servers) wanted.set(`${backend}/${server.name}`, serverSignature(server, mode));
      const steps = planBackend({ backend, actual: actual.get(backend) ?? [], desired: desired.servers, mode });
      planned.push(...steps.map((step) => ({ ...step, server: `${backend}/${step.server}` })));
    }
    const answers = planned.length ? await runCommands({ address, commands: planned.map((step) => step.command) }) : [];
    const failedServers = new Set<string>();
    const failed: string[] = [];
    planned.forEach((step, i) => {
      if (commandSucceeded(step.command, answers[i] ?? "")) return;
      failedServers.add(step.server);
      failed.push(`${step.command}: ${(answers[i] ?? "").trim().slice(0, 200)}`);
    });
    const drift = this.driftOf(planned, wanted, failedServers);
    // Remember what each server now is; a failed one is not, so it is tried again without being called drift.
    for (const key of [...this.applied.keys()]) if (!wanted.has(key)) this.applied.delete(key);
    for (const [key, signature] of wanted) if (!failedServers.has(key)) this.applied.set(key, signature);
    this.converged = true;
    if (drift.length) await this.auditDrift(drift);
    const notes = [
      ...(missing.length ? [`backends not in HAProxy: ${missing.slice(0, 10).join(", ")}`] : []),
      ...(skipped.length ? [`${skipped.length} instances without an IPv4 address left out (${skipped.slice(0, 5).join(", ")})`] : []),
      ...(failed.length ? [`${failed.length} commands failed: ${failed.slice(0, 3).join("; ")}`] : []),
    ];
    this.lastNote = notes.join("; ") || null;
    if (planned.length) log.debug(`data plane ${this.plane.name}: ${planned.length} commands, ${failed.length} failed, ${drift.length} drift repairs`);
    return { index: snapshot.index, commands: planned.length, failed, drift };
  }

  /** Changes to servers whose catalog state had already been applied (or foreign servers removed): someone else's doing. */
  private driftOf(planned: TPlannedCommand[], wanted: Map<string, string>, failed: Set<string>) {
    if (!this.converged) return [];
    const seen = new Map<string, string>();
    for (const step of planned) {
      if (seen.has(step.server) || failed.has(step.server)) continue;
      const signature = wanted.get(step.server);
      const drifted = signature === undefined ? !this.applied.has(step.server) : this.applied.get(step.server) === signature;
      if (drifted) seen.set(step.server, step.change);
    }
    return [...seen].map(([key, change]) => {
      const [backend, server] = key.split("/") as [string, string];
      return { backend, server, change };
    });
  }

  private async auditDrift(drift: TConvergeResult["drift"]) {
    log.warn(`data plane ${this.plane.name}: ${drift.length} servers differed from the catalog; put back`);
    await this.status.audit({
      action: "dataplane.drift",
      before: { servers: drift.length },
      after: { repaired: drift.slice(0, auditedServers) },
      reason: `HAProxy's servers differed from the catalog (changed by hand, or HAProxy restarted); ${drift.length} put back`,
    });
  }
}
