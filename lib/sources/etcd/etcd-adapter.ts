import type { Etcd3, IKeyValue, Watcher } from "etcd3";
import { log } from "@/lib/log";
import { ChangeQueue } from "../change-queue";
import { checkEndpoints } from "../check-endpoints";
import type { ISourceAdapter, TSourceEvents, TSourceInstance, TSourceOverride, TSourceSettings } from "../types";
import { decodeEtcdEntry, type TEtcdConvention } from "./conventions";
import { createEtcdClient } from "./etcd-client";
import { writeEtcdOverride } from "./write-override";

const maxBackoffMs = 5000;

/**
 * Lists and watches one etcd prefix. Each (re)connection lists everything at one revision (a snapshot) and
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
  /** The instance id each key decoded to, for deletes, which carry only the key. */
  private readonly idOfKey = new Map<string, string>();
  private readonly skipped = new Map<string, string>();

  constructor(private readonly settings: TSourceSettings) {
    this.client = createEtcdClient(settings);
    this.convention = settings.convention as TEtcdConvention;
  }

  start(events: TSourceEvents) {
    this.events = events;
    this.queue = new ChangeQueue(events.onChange, (error) => this.restart(error));
    void this.connect();
  }

  private decode(kv: IKeyValue): TSourceInstance | null {
    const key = kv.key.toString();
    const decoded = decodeEtcdEntry(this.convention, { key, value: kv.value.toString(), prefix: this.settings.prefix });
    if ("instance" in decoded) {
      this.skipped.delete(key);
      return decoded.instance;
    }
    if (this.skipped.get(key) !== decoded.skipped) log.warn(`source ${this.settings.name}: skipping ${key}: ${decoded.skipped}`);
    this.skipped.set(key, decoded.skipped);
    return null;
  }

  private async connect() {
    if (this.stopped) return;
    try {
      await checkEndpoints(this.settings.endpoints);
      const listed = await this.client.getAll().prefix(this.settings.prefix).exec();
      const instances: TSourceInstance[] = [];
      this.idOfKey.clear();
      for (const kv of listed.kvs) {
        const instance = this.decode(kv);
        if (!instance) continue;
        this.idOfKey.set(kv.key.toString(), instance.instanceId);
        instances.push(instance);
      }
      const watcher = await this.client
        .watch()
        .prefix(this.settings.prefix)
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
    const instance = this.decode(kv);
    const previous = this.idOfKey.get(key);
    // A key rewritten into something that no longer decodes (or into another id) is the old instance going away.
    if (previous && previous !== instance?.instanceId) this.queue!.remove(previous);
    if (!instance) return void this.idOfKey.delete(key);
    this.idOfKey.set(key, instance.instanceId);
    this.queue!.upsert(instance);
  }

  private onDelete(kv: IKeyValue) {
    const key = kv.key.toString();
    this.skipped.delete(key);
    const id = this.idOfKey.get(key);
    if (!id) return;
    this.idOfKey.delete(key);
    this.queue!.remove(id);
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

  async writeOverride({ instance, override }: { instance: TSourceInstance; override: TSourceOverride }) {
    await checkEndpoints(this.settings.endpoints);
    await writeEtcdOverride(this.client, this.convention, instance, override);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.watcher?.cancel().catch(() => undefined);
    await this.queue?.drain();
    this.client.close();
  }
}
