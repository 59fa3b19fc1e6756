import "server-only";
import { setMaxListeners } from "node:events";
import { log } from "@/lib/log";
import { ChangeQueue } from "../change-queue";
import { checkEndpoints } from "../check-endpoints";
import { reconnectDelayMs } from "../reconnect";
import type { ISourceAdapter, TSourceEvents, TSourceInstance, TSourceOverride, TSourceSettings } from "../types";
import { jitteredWaitMs, nextIndex, TokenBucket } from "./blocking-loop";
import { consulRequest, readQuery, staleness, type TConsulAnswer } from "./consul-http";
import { decodeServiceEntry, type TConsulCheck, type TConsulServiceEntry } from "./decode-health";
import { checkPrints, tagsByService } from "./what-moved";
import { writeConsulOverride } from "./write-override";

// Per-service listings in flight at once: a first sync of 1,000 services is 1,000 short requests, 8 at a time.
export const listInFlight = 8;
// A catalog change that names no service (an instance re-registered with other weights, say) relists every service,
// at most this often: the cost of not holding 1,000 long polls.
const fullRelistMinMs = 10_000;
// A held blocking query does not end when the leader is lost or the network drops silently: a small request this
// often (`/v1/status/leader`) notices within seconds, not at the end of a wait.
const probeEveryMs = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lists and watches a Consul datacenter with two blocking queries, whatever the fleet's size: `/v1/catalog/services`
 * (services appearing, going, retagged) and `/v1/health/state/any` (every check). What moved names the services to
 * read again with `/v1/health/service/:name`, a few at a time; nothing else is polled.
 */
export class ConsulAdapter implements ISourceAdapter {
  private queue?: ChangeQueue;
  private events?: TSourceEvents;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  /** Bumped on each (re)connection: loops and reads of an older one stop and write nothing. */
  private generation = 0;
  private abort = new AbortController();
  private endpoint = 0;
  private services = new Map<string, string>();
  private prints = new Map<string, string>();
  private readonly listed = new Map<string, Map<string, { instance: TSourceInstance; text: string }>>();
  private readonly serviceOfId = new Map<string, string>();
  private readonly skipped = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private allDirty = false;
  private lastFullRelist = 0;
  private refreshing?: Promise<void>;
  private relistTimer?: NodeJS.Timeout;
  private probeTimer?: NodeJS.Timeout;

  constructor(private readonly settings: TSourceSettings) {}

  start(events: TSourceEvents) {
    this.events = events;
    this.queue = new ChangeQueue(events.onChange, (error) => this.restart(error), "deregistered");
    void this.connect();
  }

  private get address(): string {
    return this.settings.endpoints[this.endpoint % this.settings.endpoints.length]!;
  }

  private async read<T>(path: string, blocking?: { index: number; waitMs: number }): Promise<TConsulAnswer<T>> {
    const extra: Record<string, string> = blocking ? { index: String(blocking.index), wait: `${Math.round(blocking.waitMs / 1000)}s` } : {};
    const answer = await consulRequest<T>(this.settings, {
      address: this.address,
      path,
      query: readQuery(this.settings, extra),
      // Consul adds up to wait/16 to a blocking query's wait.
      ...(blocking ? { timeoutMs: blocking.waitMs + blocking.waitMs / 16 + 5000 } : {}),
      signal: this.abort.signal,
    });
    const stale = staleness(answer);
    if (stale) throw new Error(stale);
    return answer;
  }

  private async connect() {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.abort = new AbortController();
    // Every request in flight listens on it: the two watches and the listings.
    setMaxListeners(listInFlight + 8, this.abort.signal);
    try {
      await checkEndpoints(this.settings.endpoints);
      const [catalog, checks] = await Promise.all([
        this.read<Record<string, string[] | null>>("/v1/catalog/services"),
        this.read<TConsulCheck[]>("/v1/health/state/any"),
      ]);
      const services = tagsByService(catalog.body);
      const lists = await this.listServices([...services.keys()]);
      if (generation !== this.generation) return;
      [this.services, this.prints] = [services, checkPrints(checks.body)];
      this.listed.clear();
      this.serviceOfId.clear();
      for (const [name, instances] of lists) this.remember(name, instances);
      this.queue!.snapshot([...lists.values()].flat());
      this.failures = 0;
      this.events!.onState({ connected: true });
      void this.loop(generation, "/v1/catalog/services", catalog.index, (body: Record<string, string[] | null>) => this.onCatalog(body));
      void this.loop(generation, "/v1/health/state/any", checks.index, (body: TConsulCheck[]) => this.onChecks(body));
      this.probe(generation);
    } catch (error) {
      if (generation === this.generation) this.retry(error);
    }
  }

  private async loop<T>(generation: number, path: string, index: number, handle: (body: T) => void) {
    const bucket = new TokenBucket();
    let held = nextIndex(0, index).index;
    while (generation === this.generation) {
      const delay = bucket.take();
      if (delay > 0) await sleep(delay);
      if (generation !== this.generation) return;
      let answer: TConsulAnswer<T>;
      try {
        answer = await this.read<T>(path, { index: held, waitMs: jitteredWaitMs() });
      } catch (error) {
        if (generation === this.generation) this.restart(error);
        return;
      }
      if (generation !== this.generation) return;
      if (answer.index === held) continue;
      const next = nextIndex(held, answer.index);
      held = next.index;
      handle(answer.body);
    }
  }

  private probe(generation: number) {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      if (generation !== this.generation) return;
      const query: Record<string, string> = this.settings.prefix ? { dc: this.settings.prefix } : {};
      consulRequest<string>(this.settings, { address: this.address, path: "/v1/status/leader", query, signal: this.abort.signal })
        .then(({ body }) => {
          if (!body) throw new Error("stale: the Consul servers know no leader (/v1/status/leader is empty)");
          if (generation === this.generation) this.probe(generation);
        })
        .catch((error: unknown) => {
          if (generation === this.generation) this.restart(error);
        });
    }, probeEveryMs);
  }

  private onCatalog(body: Record<string, string[] | null>) {
    const next = tagsByService(body);
    let explained = false;
    for (const [name, tags] of next) {
      if (this.services.get(name) === tags) continue;
      this.dirty.add(name);
      explained = true;
    }
    for (const name of this.services.keys()) {
      if (next.has(name)) continue;
      explained = true;
      this.replaceService(name, []);
    }
    this.services = next;
    if (!explained) this.allDirty = true;
    this.kickRefresh();
  }

  private onChecks(body: TConsulCheck[]) {
    const prints = checkPrints(body);
    for (const key of new Set([...prints.keys(), ...this.prints.keys()])) {
      if (prints.get(key) === this.prints.get(key)) continue;
      if (key.startsWith("s:")) this.dirty.add(key.slice(2));
      // A node check moved: every service with an instance on that node.
      else for (const name of this.servicesOnNode(key.slice(2))) this.dirty.add(name);
    }
    this.prints = prints;
    this.kickRefresh();
  }

  private servicesOnNode(node: string): string[] {
    return [...this.listed]
      .filter(([, instances]) => [...instances.values()].some(({ instance }) => instance.metadata["consul.node"] === node))
      .map(([name]) => name);
  }

  /** Reads the dirty services again, one batch after another; a full relist waits its turn (fullRelistMinMs). */
  private kickRefresh() {
    if (this.refreshing) return;
    const generation = this.generation;
    this.refreshing = (async () => {
      while (generation === this.generation && (this.dirty.size > 0 || this.allDirty)) {
        const wait = this.lastFullRelist + fullRelistMinMs - Date.now();
        let names: string[];
        if (this.allDirty && wait <= 0) {
          [names, this.allDirty, this.lastFullRelist] = [[...this.services.keys()], false, Date.now()];
          this.dirty.clear();
        } else if (this.dirty.size > 0) {
          names = [...this.dirty];
          this.dirty.clear();
        } else {
          // The full relist waits its turn on a timer, not here: services that move meanwhile are read at once.
          clearTimeout(this.relistTimer);
          this.relistTimer = setTimeout(() => this.kickRefresh(), wait);
          return;
        }
        const lists = await this.listServices(names);
        if (generation !== this.generation) return;
        for (const [name, instances] of lists) this.replaceService(name, instances);
      }
    })()
      .catch((error: unknown) => {
        if (generation === this.generation) this.restart(error);
      })
      .finally(() => {
        this.refreshing = undefined;
        // A service that moved while the last batch was being cut is not left for the next wake.
        if (this.dirty.size > 0 && generation === this.generation) this.kickRefresh();
      });
  }

  private async listServices(names: string[]): Promise<Map<string, TSourceInstance[]>> {
    const lists = new Map<string, TSourceInstance[]>();
    let next = 0;
    const worker = async (): Promise<void> => {
      const name = names[next++];
      if (name === undefined) return;
      const answer = await this.read<TConsulServiceEntry[] | null>(`/v1/health/service/${encodeURIComponent(name)}`);
      lists.set(name, this.decodeAll(answer.body ?? []));
      return worker();
    };
    await Promise.all(Array.from({ length: Math.min(listInFlight, names.length) }, worker));
    return lists;
  }

  private decodeAll(entries: TConsulServiceEntry[]): TSourceInstance[] {
    const instances: TSourceInstance[] = [];
    for (const entry of entries) {
      const decoded = decodeServiceEntry(entry);
      if ("instance" in decoded) instances.push(decoded.instance);
      else {
        const where = `${entry.Node?.Node ?? "?"}/${entry.Service?.ID ?? "?"}`.slice(0, 200);
        if (this.skipped.get(where) !== decoded.skipped) log.warn(`source ${this.settings.name}: skipping ${where}: ${decoded.skipped}`);
        this.skipped.set(where, decoded.skipped);
      }
    }
    return instances;
  }

  private remember(name: string, instances: TSourceInstance[]) {
    this.listed.set(name, new Map(instances.map((instance) => [instance.instanceId, { instance, text: JSON.stringify(instance) }])));
    for (const instance of instances) this.serviceOfId.set(instance.instanceId, name);
  }

  /** Queues what changed in one service since it was last read: an instance read the same as before is not queued. */
  private replaceService(name: string, instances: TSourceInstance[]) {
    const before = this.listed.get(name) ?? new Map<string, { instance: TSourceInstance; text: string }>();
    const now = new Set(instances.map((instance) => instance.instanceId));
    for (const id of before.keys()) {
      // An instance that moved to another service is that service's to tell.
      if (now.has(id) || this.serviceOfId.get(id) !== name) continue;
      this.serviceOfId.delete(id);
      this.queue!.remove(id, "deregistered");
    }
    for (const instance of instances) if (before.get(instance.instanceId)?.text !== JSON.stringify(instance)) this.queue!.upsert(instance);
    if (instances.length === 0) this.listed.delete(name);
    else this.remember(name, instances);
  }

  /** Drops the watches and lists again after a backoff. */
  private restart(error: unknown) {
    this.generation += 1;
    clearTimeout(this.relistTimer);
    clearTimeout(this.probeTimer);
    this.abort.abort();
    this.retry(error);
  }

  private retry(error: unknown) {
    if (this.stopped) return;
    this.failures += 1;
    // The next attempt asks the next endpoint.
    this.endpoint += 1;
    this.events!.onState({ connected: false, error: error instanceof Error ? error.message : String(error) });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), reconnectDelayMs(this.failures));
  }

  async writeOverride({ instance, override }: { instance: TSourceInstance; override: TSourceOverride }) {
    await checkEndpoints(this.settings.endpoints);
    await writeConsulOverride(this.settings, instance, override);
  }

  async stop() {
    this.stopped = true;
    this.generation += 1;
    clearTimeout(this.relistTimer);
    clearTimeout(this.probeTimer);
    this.abort.abort();
    clearTimeout(this.timer);
    await this.queue?.drain();
  }
}
