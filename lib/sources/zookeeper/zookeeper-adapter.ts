import "server-only";
import zookeeper, { type Client, type State } from "node-zookeeper-client";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { checkEndpoints } from "../check-endpoints";
import type { ISourceAdapter, TSourceEvents, TSourceInstance, TSourceOverride, TSourceSettings } from "../types";
import { ChangeFeed } from "./change-feed";
import { SkipLog } from "../skip-report";
import type { TZkConvention } from "./conventions";
import { curatorConvention } from "./curator-source";
import { dubboConvention } from "./dubbo-source";
import { TreeWatch } from "./tree-watch";

// A ZooKeeper registry as a Meshdeck source: one session at a time lists what the convention reads and watches it.
// Every (re)connection sends a full snapshot; changes in between are batched and sent in order, one at a time.
// An expired session (or a failed listing) is replaced after a backoff that doubles up to maxBackoffMs.

export type TZookeeperAdapterOptions = {
  /** Asked of the server, which holds it between 2 and 20 ticks. */
  sessionTimeoutMs?: number;
  /** Watch events within this window go out as one change. */
  batchMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a write waits for a connection before it fails. */
  writeTimeoutMs?: number;
};

const defaults = { sessionTimeoutMs: 15_000, batchMs: 10, minBackoffMs: 200, maxBackoffMs: 5000, writeTimeoutMs: 10_000 };

function normalizePath(path: string, fallback: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  if (trimmed === "") return fallback;
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

// node-zookeeper-client's ConnectionManager.STATES.CLOSED; the client itself reports no state past DISCONNECTED.
const closedState = -2;
const isClosed = (client: Client) => (client as unknown as { connectionManager?: { state?: number } }).connectionManager?.state === closedState;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ZookeeperAdapter implements ISourceAdapter {
  private readonly options: typeof defaults;
  private readonly convention: TZkConvention;
  private events: TSourceEvents | null = null;
  private client: Client | null = null;
  private tree: TreeWatch | null = null;
  /** Bumped for every client and every listing, so callbacks of an older one are ignored. */
  private generation = 0;
  private connected = false;
  /** The last state told to onState: down is told once per outage, including a first connection that fails. */
  private toldConnected: boolean | null = null;
  private listed = false;
  private stopped = false;
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private batchTimer: NodeJS.Timeout | null = null;
  private unreachableTimer: NodeJS.Timeout | null = null;
  private lostTimer: NodeJS.Timeout | null = null;
  private feed: ChangeFeed | null = null;
  private skips: SkipLog | null = null;

  constructor(
    private readonly settings: TSourceSettings,
    options: TZookeeperAdapterOptions = {},
  ) {
    this.options = { ...defaults, ...options };
    this.backoffMs = this.options.minBackoffMs;
    this.convention =
      settings.convention === "curator"
        ? curatorConvention(normalizePath(settings.prefix, "/services"))
        : dubboConvention(normalizePath(settings.prefix, "/dubbo"));
  }

  start(events: TSourceEvents): void {
    if (this.events) throw new Error(`source ${this.settings.name} was already started`);
    this.events = events;
    this.skips = new SkipLog((report) => events.onSkipped?.(report));
    this.feed = new ChangeFeed(
      events.onChange,
      (error) => {
        log.warn(`source ${this.settings.name}: a change was not taken; sending a fresh snapshot`, error);
        this.retry(() => this.connected && this.resync());
      },
      (instance) => this.convention.goneCause(instance),
    );
    if (this.settings.tls) {
      // node-zookeeper-client speaks plain TCP only; a source set up for TLS must not silently go without it.
      events.onState({ connected: false, error: "TLS is not supported for ZooKeeper sources" });
      return;
    }
    this.connect();
  }

  async writeOverride({ instance, override }: { instance: TSourceInstance; override: TSourceOverride }): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new AppError("unavailable", `ZooKeeper source ${this.settings.name} is not connected; try again once it is`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError("unavailable", `ZooKeeper source ${this.settings.name} did not answer in time`)),
        this.options.writeTimeoutMs,
      );
    });
    try {
      await Promise.race([this.convention.writeOverride(client, instance, override), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    for (const timer of [this.retryTimer, this.batchTimer, this.unreachableTimer, this.lostTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = this.batchTimer = this.unreachableTimer = this.lostTimer = null;
    this.tree?.close();
    await this.closeClient();
    await this.feed?.stop();
  }

  private connect() {
    if (this.stopped) return;
    // Refused endpoints are told like unreachable ones, and tried again after the backoff.
    void checkEndpoints(this.settings.endpoints).then(
      () => this.open(),
      (error: Error) => {
        this.tell({ connected: false, error: error.message });
        this.retry(() => this.connect());
      },
    );
  }

  private open() {
    if (this.stopped) return;
    const client = zookeeper.createClient(this.settings.endpoints.join(","), {
      sessionTimeout: this.options.sessionTimeoutMs,
      // The client's own reconnect waits up to this long between rounds over the servers.
      spinDelay: Math.min(1000, this.options.maxBackoffMs),
      retries: 0,
    });
    if (this.settings.username !== null && this.settings.password !== null) {
      client.addAuthInfo("digest", Buffer.from(`${this.settings.username}:${this.settings.password}`));
    }
    client.on("state", (state: State) => this.onClientState(client, state));
    this.client = client;
    client.connect();
    // The client retries a server it cannot reach without telling anyone: say so if it is not up in a while.
    if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
    this.unreachableTimer = setTimeout(() => {
      this.unreachableTimer = null;
      if (!this.connected && this.client === client) this.tell({ connected: false, error: `cannot reach ZooKeeper at ${this.settings.endpoints.join(",")}` });
    }, this.options.maxBackoffMs);
  }

  private onClientState(client: Client, state: State) {
    if (this.stopped || client !== this.client) return;
    const { State: S } = zookeeper;
    if (state === S.SYNC_CONNECTED || state === S.CONNECTED_READ_ONLY) {
      this.connected = true;
      for (const timer of [this.unreachableTimer, this.lostTimer]) if (timer) clearTimeout(timer);
      this.unreachableTimer = this.lostTimer = null;
      void this.resync();
    } else if (state === S.DISCONNECTED) {
      this.lose("the connection to ZooKeeper was lost");
      // Down this long, the session is as good as gone (Curator reckons so past its timeout), and a server that
      // lost its data refuses it for good, having seen less than the client: a new client starts afresh.
      if (this.lostTimer) clearTimeout(this.lostTimer);
      this.lostTimer = setTimeout(
        () => {
          this.lostTimer = null;
          if (this.client === client && !this.connected) void this.closeClient().then(() => this.retry(() => this.connect()));
        },
        Math.min(client.getSessionTimeout() || this.options.sessionTimeoutMs, this.options.maxBackoffMs),
      );
    } else if (state === S.EXPIRED || state === S.AUTH_FAILED) {
      this.lose(state === S.EXPIRED ? "the ZooKeeper session expired" : "ZooKeeper refused the credentials");
      // Neither session can be used again: a new client after the backoff.
      void this.closeClient().then(() => this.retry(() => this.connect()));
    }
  }

  private lose(error: string) {
    this.connected = false;
    this.listed = false;
    this.generation++;
    this.tree?.close();
    this.tree = null;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.tell({ connected: false, error });
  }

  private tell(state: { connected: boolean; error?: string }) {
    if (this.toldConnected === state.connected) return;
    this.toldConnected = state.connected;
    this.events?.onState(state);
  }

  /** A fresh listing of everything, sent as a snapshot; the instances it holds become what changes are told against. */
  private async resync() {
    const client = this.client;
    if (!client || this.stopped) return;
    const generation = ++this.generation;
    // Until this listing is complete, changes are not told: a half-read tree would look like removals.
    this.listed = false;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.tree?.close();
    const tree = new TreeWatch(client, this.convention.roots, {
      onChange: () => generation === this.generation && this.listed && this.scheduleBatch(tree),
      onError: (error) => log.warn(`source ${this.settings.name}: a ZooKeeper read failed`, error),
      onUnreadable: (path) => log.warn(`source ${this.settings.name}: no permission to read ${path}; it is left out`),
    });
    this.tree = tree;
    try {
      await tree.start();
    } catch (error) {
      if (generation !== this.generation) return;
      tree.close();
      log.warn(`source ${this.settings.name}: listing ZooKeeper failed; trying again`, error);
      this.retry(() => this.connected && this.resync());
      return;
    }
    if (generation !== this.generation) return;
    this.listed = true;
    this.backoffMs = this.options.minBackoffMs;
    this.feed?.snapshot(this.list(tree), () => generation === this.generation && this.tell({ connected: true }));
  }

  private scheduleBatch(tree: TreeWatch) {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      if (this.tree === tree && this.listed) this.feed?.update(this.list(tree));
    }, this.options.batchMs);
  }

  /** The convention's instances, one per id (a second node with the same id is skipped), reporting new skips once. */
  private list(tree: TreeWatch): TSourceInstance[] {
    const { instances, skipped } = this.convention.list(tree);
    const byId = new Map<string, TSourceInstance>();
    for (const instance of instances) {
      if (byId.has(instance.instanceId)) skipped.push({ path: `${instance.service}/${instance.instanceId}`, reason: "another node has the same instance id" });
      else byId.set(instance.instanceId, instance);
    }
    const fresh = this.skips?.replace(skipped.map(({ path, reason }) => ({ key: path, reason }))) ?? [];
    for (const { key, reason } of fresh) log.warn(`source ${this.settings.name}: skipped ${key}: ${reason}`);
    return [...byId.values()];
  }

  private retry(action: () => unknown) {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      action();
    }, delay);
  }

  /** Closes the current client and waits (at most a few seconds) until it has ended its session, socket and timers. */
  private async closeClient() {
    const client = this.client;
    this.client = null;
    this.connected = false;
    if (!client) return;
    client.close();
    // A client mid-reconnect ends on its next attempt, which it tells no listener: its manager's state is the only sign.
    const deadline = Date.now() + 3000;
    while (!isClosed(client) && Date.now() < deadline) await sleep(10);
  }
}
