import { Range, type Etcd3, type IKeyValue, type Watcher } from "etcd3";
import { log } from "@/lib/log";
import { ChangeQueue } from "../change-queue";
import { checkEndpoints } from "../check-endpoints";
import { SkipLog } from "../skip-report";
import type { ISourceAdapter, TRemovalCause, TSourceEvents, TSourceInstance, TSourceOverride, TSourceSettings } from "../types";
import { decodeEtcdEntry, type TEtcdConvention } from "./conventions";
import { createEtcdClient } from "./etcd-client";
import { keyPattern, type TKeyPattern } from "./key-pattern";
import { writeEtcdOverride } from "./write-override";

const maxBackoffMs = 5000;

// The keyspace as a range: etcd takes no empty key, so a pattern starting with `*` asks for everything from \0.
const rangeOf = (range: string) => (range === "" ? new Range(Buffer.from([0]), Buffer.from([0])) : Range.prefix(range));

/**
 * Lists and watches one etcd prefix (or the keys a pattern matches, see key-pattern.ts). Each (re)connection lists everything at one revision (a snapshot) and
 * watches from the next, so no change is missed or applied out of order; a lost watch drops the watcher and
 * starts over with backoff.
 */
export class EtcdAdapter implements ISourceAdapter {
  private readonly client: Etcd3;
  private readonly convention: TEtcdConvention;
  private watcher?: Watcher;
  private queue?: ChangeQueue;
  private events?: TSourceEvents;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private readonly keys: TKeyPattern;
  /** The instance id each key decoded to and the lease it was put with, for deletes, which carry only the key. */
  private readonly idOfKey = new Map<string, { id: string; lease: string }>();
  private skips?: SkipLog;
  /** Whether a lease is gone, asked once per lease while its keys' deletes arrive together. */
  private readonly leaseAsked = new Map<string, Promise<TRemovalCause>>();

  constructor(private readonly settings: TSourceSettings) {
    this.client = createEtcdClient(settings);
    this.convention = settings.convention as TEtcdConvention;
    this.keys = keyPattern(settings.prefix);
  }

  start(events: TSourceEvents) {
    this.events = events;
    this.skips = new SkipLog((report) => events.onSkipped?.(report));
    this.queue = new ChangeQueue(events.onChange, (error) => this.restart(error), "key deleted");
    void this.connect();
  }

  private decode(kv: IKeyValue): TSourceInstance | null {
    const key = kv.key.toString();
    const decoded = decodeEtcdEntry(this.convention, { key, value: kv.value.toString(), prefix: this.keys.prefix });
    if ("instance" in decoded && !decoded.warning) this.skips!.delete(key);
    const reason = "instance" in decoded ? decoded.warning : decoded.skipped;
    if (reason && this.skips!.set(key, reason)) log.warn(`source ${this.settings.name}: ${"instance" in decoded ? "reading" : "skipping"} ${key}: ${reason}`);
    return "instance" in decoded ? decoded.instance : null;
  }

  private async connect() {
    if (this.stopped) return;
    try {
      await checkEndpoints(this.settings.endpoints);
      const listed = await this.client.getAll().inRange(rangeOf(this.keys.range)).exec();
      const instances: TSourceInstance[] = [];
      this.idOfKey.clear();
      for (const kv of listed.kvs) {
        if (!this.keys.matches(kv.key.toString())) continue;
        const instance = this.decode(kv);
        if (!instance) continue;
        this.idOfKey.set(kv.key.toString(), { id: instance.instanceId, lease: kv.lease });
        instances.push(instance);
      }
      const watcher = await this.client
        .watch()
        .inRange(rangeOf(this.keys.range))
        .startRevision(String(BigInt(listed.header.revision) + 1n))
        .create();
      if (this.stopped) return void watcher.cancel();
      void this.watcher?.cancel().catch(() => undefined);
      this.watcher = watcher;
      watcher.on("put", (kv) => this.onPut(kv));
      watcher.on("delete", (kv) => this.onDelete(kv));
      watcher.on("disconnected", (error) => this.lost(watcher, error));
      watcher.on("error", (error) => this.lost(watcher, error));
      this.queue!.snapshot(instances);
      this.failures = 0;
      this.events!.onState({ connected: true });
    } catch (error) {
      this.retry(error);
    }
  }

  private onPut(kv: IKeyValue) {
    const key = kv.key.toString();
    if (!this.keys.matches(key)) return;
    const instance = this.decode(kv);
    const previous = this.idOfKey.get(key)?.id;
    // A key rewritten into something that no longer decodes (or into another id) is the old instance going away.
    if (previous && previous !== instance?.instanceId) this.queue!.remove(previous, "key deleted");
    if (!instance) return void this.idOfKey.delete(key);
    this.idOfKey.set(key, { id: instance.instanceId, lease: kv.lease });
    this.queue!.upsert(instance);
  }

  private onDelete(kv: IKeyValue) {
    const key = kv.key.toString();
    this.skips!.delete(key);
    const known = this.idOfKey.get(key);
    if (!known) return;
    this.idOfKey.delete(key);
    this.queue!.remove(known.id, known.lease === "0" ? "key deleted" : this.leaseCause(known.lease));
  }

  /** A leased key deleted is its lease expiring (or revoked) when the lease is gone, else a delete of the key alone. */
  private leaseCause(lease: string): Promise<TRemovalCause> {
    let asked = this.leaseAsked.get(lease);
    if (!asked) {
      asked = this.client.leaseClient
        .leaseTimeToLive({ ID: lease })
        .then(({ TTL }): TRemovalCause => (Number(TTL) < 0 ? "lease expired" : "key deleted"))
        .catch((): TRemovalCause => "lease expired");
      this.leaseAsked.set(lease, asked);
      // Remembered while the rest of its keys' deletes arrive, then forgotten: the map stays small.
      setTimeout(() => this.leaseAsked.delete(lease), 2000).unref();
    }
    return asked;
  }

  private lost(watcher: Watcher, error: Error) {
    if (this.watcher === watcher) this.restart(error);
  }

  /** Drops the watch and lists again after a backoff. */
  private restart(error: unknown) {
    const watcher = this.watcher;
    this.watcher = undefined;
    void watcher?.cancel().catch(() => undefined);
    this.retry(error);
  }

  private retry(error: unknown) {
    if (this.stopped) return;
    this.failures += 1;
    this.events!.onState({ connected: false, error: error instanceof Error ? error.message : String(error) });
    const delay = Math.min(maxBackoffMs, 250 * 2 ** (this.failures - 1));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  async writeOverride({ instance, override, onlyIfRewritten }: { instance: TSourceInstance; override: TSourceOverride; onlyIfRewritten?: boolean }) {
    await checkEndpoints(this.settings.endpoints);
    await writeEtcdOverride(this.client, this.convention, instance, override, { onlyIfRewritten });
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.watcher?.cancel().catch(() => undefined);
    await this.queue?.drain();
    this.client.close();
  }
}
