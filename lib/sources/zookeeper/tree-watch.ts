import "server-only";
import zookeeper, { type Client, type Event } from "node-zookeeper-client";
import { exists, getChildren, getData, joinPath, type TWatcher } from "./zk";

// A live copy of the parts of a ZooKeeper tree a convention reads, for one session: children and data as last
// read, each read with a watch that reads it again when it fires (ZooKeeper's watches fire once).

/** What to read at a node: its data, and which of its children to follow (null: list the name only). */
export type TWatchSpec = { data?: boolean; children?: (name: string) => TWatchSpec | null };

export type TTree = {
  children(path: string): string[];
  data(path: string): string | undefined;
};

type TNode = { children?: string[]; data?: string };

const code = (error: unknown) => (error as { getCode?: () => number } | null)?.getCode?.();

export class TreeWatch implements TTree {
  private readonly nodes = new Map<string, TNode>();
  private readonly watchers = new Map<string, TWatcher>();
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly roots: { path: string; spec: TWatchSpec }[],
    private readonly events: {
      /** Something in the copy changed; called after each read that changed it. */
      onChange(): void;
      /** A read failed after the first listing (the first listing rejects instead). */
      onError(error: unknown): void;
      /** A node that may not be read (no permission), left out. */
      onUnreadable(path: string): void;
    },
  ) {}

  /** Reads every root with watches set; rejects if a read failed, so an incomplete tree is never taken for the source's. */
  async start(): Promise<void> {
    await Promise.all(this.roots.map((root) => this.load(root.path, root.spec, true)));
  }

  /** Stops following: watches of this session that fire later are ignored. */
  close() {
    this.closed = true;
  }

  children(path: string): string[] {
    return this.nodes.get(path)?.children ?? [];
  }

  data(path: string): string | undefined {
    return this.nodes.get(path)?.data;
  }

  private async load(path: string, spec: TWatchSpec, root: boolean): Promise<void> {
    await Promise.all([spec.children ? this.loadChildren(path, spec, root) : null, spec.data ? this.loadData(path, spec, root) : null]);
  }

  private static split(path: string): [parent: string, name: string] {
    const at = path.lastIndexOf("/");
    return [at === 0 ? "/" : path.slice(0, at), path.slice(at + 1)];
  }

  /** Whether the path is still in the copy: a read that comes back after its parent lost it must not bring it back. */
  private live(path: string, root: boolean): boolean {
    if (root) return true;
    const [parent, name] = TreeWatch.split(path);
    return this.nodes.get(parent)?.children?.includes(name) ?? false;
  }

  private node(path: string): TNode {
    let node = this.nodes.get(path);
    if (!node) this.nodes.set(path, (node = {}));
    return node;
  }

  private drop(path: string) {
    const node = this.nodes.get(path);
    for (const child of node?.children ?? []) this.drop(joinPath(path, child));
    this.nodes.delete(path);
  }

  /** A node found gone: out of its parent's list too, so that when it is created again the parent reads it anew. */
  private gone(path: string, root: boolean) {
    this.drop(path);
    if (root) return;
    const [parent, name] = TreeWatch.split(path);
    const node = this.nodes.get(parent);
    if (node?.children) node.children = node.children.filter((child) => child !== name);
  }

  /** Unreadable nodes read as absent, so one node with a stricter ACL does not stop the rest from being listed. */
  private async read<T>(path: string, reading: Promise<T | null>): Promise<T | null> {
    try {
      return await reading;
    } catch (error) {
      if (code(error) !== zookeeper.Exception.NO_AUTH) throw error;
      this.events.onUnreadable(path);
      return null;
    }
  }

  private async loadChildren(path: string, spec: TWatchSpec, root: boolean): Promise<void> {
    const children = await this.read(path, getChildren(this.client, path, this.watcher("children", path, spec, root)));
    if (this.closed) return;
    if (children === null) return this.vanished(path, spec, root);
    if (!this.live(path, root)) return;
    const node = this.node(path);
    const before = new Set(node.children ?? []);
    node.children = children;
    for (const name of before) if (!children.includes(name)) this.drop(joinPath(path, name));
    this.events.onChange();
    await Promise.all(
      children
        .filter((name) => !before.has(name))
        .flatMap((name) => {
          const childSpec = spec.children!(name);
          return childSpec ? [this.load(joinPath(path, name), childSpec, false)] : [];
        }),
    );
  }

  private async loadData(path: string, spec: TWatchSpec, root: boolean): Promise<void> {
    const read = await this.read(path, getData(this.client, path, this.watcher("data", path, spec, root)));
    if (this.closed) return;
    if (read === null) return this.vanished(path, spec, root);
    if (!this.live(path, root)) return;
    this.node(path).data = read.data;
    this.events.onChange();
  }

  private async vanished(path: string, spec: TWatchSpec, root: boolean): Promise<void> {
    this.gone(path, root);
    this.events.onChange();
    if (root) await this.watchCreation(path, spec);
  }

  /** A root that is not there yet: an exists watch reads it once it is created. */
  private async watchCreation(path: string, spec: TWatchSpec): Promise<void> {
    const there = await exists(this.client, path, this.watcher("exists", path, spec, true));
    if (there && !this.closed) await this.load(path, spec, true);
  }

  /** One watcher function per node and kind, so the client keeps one watch however often the node is read. */
  private watcher(kind: "children" | "data" | "exists", path: string, spec: TWatchSpec, root: boolean): TWatcher {
    const key = `${kind} ${path}`;
    let watcher = this.watchers.get(key);
    if (!watcher) {
      watcher = (event: Event) => {
        this.watchers.delete(key);
        if (!this.closed) this.onEvent(event, path, spec, root).catch((error: unknown) => this.events.onError(error));
      };
      this.watchers.set(key, watcher);
    }
    return watcher;
  }

  private async onEvent(event: Event, path: string, spec: TWatchSpec, root: boolean): Promise<void> {
    switch (event.getType()) {
      case zookeeper.Event.NODE_CHILDREN_CHANGED:
        return this.loadChildren(path, spec, root);
      case zookeeper.Event.NODE_DATA_CHANGED:
        return this.loadData(path, spec, root);
      case zookeeper.Event.NODE_CREATED:
        return this.load(path, spec, root);
      case zookeeper.Event.NODE_DELETED:
        return this.vanished(path, spec, root);
    }
  }
}
