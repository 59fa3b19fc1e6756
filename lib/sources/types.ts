// The shapes shared by the source adapters (etcd, ZooKeeper), their conventions and the sync into the catalog.

export const sourceKinds = ["etcd", "zookeeper", "consul"] as const;
export type TSourceKind = (typeof sourceKinds)[number];

/** How a registry's keys and values are laid out, per framework. */
export const conventionsByKind = {
  etcd: ["url", "go-micro", "grpc", "kratos"],
  zookeeper: ["dubbo", "curator"],
  consul: ["catalog"],
} as const satisfies Record<TSourceKind, readonly string[]>;
export type TConvention = (typeof conventionsByKind)[TSourceKind][number];

/** Where each framework registers by default; an administrator may choose another. Consul's is the datacenter: "" the agent's own. */
export const defaultPrefixes: Record<TConvention, string> = {
  url: "/services/",
  "go-micro": "/micro/registry/",
  grpc: "/services/",
  kratos: "/microservices/",
  dubbo: "/dubbo",
  curator: "/services",
  catalog: "",
};

/** One instance as the source holds it, decoded from its convention's form. */
export type TSourceInstance = {
  /** Unique within the source; what overrides and events name. */
  instanceId: string;
  service: string;
  host: string;
  port: number;
  /** As the registration (or the convention's own rules) says; 100 when it says nothing. */
  weight: number;
  enabled: boolean;
  tags: string[];
  metadata: Record<string, string>;
  /** Where the source holds the registration (an etcd key, a ZooKeeper path), for writing back to it. */
  key?: string;
  /** What the source's own checks say (Consul); absent: its presence in the source is its health. */
  health?: { status: "passing" | "warning" | "critical"; output: string };
};

export type TSourceTls = { ca?: string; cert?: string; key?: string };

/** What an adapter needs to connect; credentials stay on the server. */
export type TSourceSettings = {
  name: string;
  kind: TSourceKind;
  convention: TConvention;
  endpoints: string[];
  /** etcd: the key prefix; ZooKeeper: the base path (`/dubbo` for Dubbo); Consul: the datacenter ("" for the agent's own). */
  prefix: string;
  username: string | null;
  /** etcd, ZooKeeper: the password; Consul: the ACL token. */
  password: string | null;
  tls: TSourceTls | null;
};

/** Why an instance left its source, as its health and failover events say. */
export type TRemovalCause = "lease expired" | "key deleted" | "session expired" | "node deleted" | "deregistered" | "source removed";

/** An instance gone from its source: why, and when Meshdeck was told (its detection time runs from there to the record). */
export type TRemoval = { instanceId: string; cause: TRemovalCause; seenAt: number };

/**
 * What a watch delivers: every instance on each (re)connection (what is no longer listed went for `missing`, seen at
 * `at`), then the changes since.
 */
export type TSourceChange =
  | { kind: "snapshot"; instances: TSourceInstance[]; missing: TRemovalCause; at: number }
  | { kind: "changes"; upserted: TSourceInstance[]; removed: TRemoval[] };

/** A key or node left out (or part of one), with why; an adapter keeps the few latest and a count. */
export type TSkip = { key: string; reason: string };
export type TSkipReport = { count: number; recent: TSkip[] };

/** An operator's choice for an instance; null: what the registration says. */
export type TSourceOverride = { weight: number | null; enabled: boolean | null };

export type TSourceEvents = {
  /** Called in order, one at a time: the adapter waits for each to settle before the next. */
  onChange: (change: TSourceChange) => Promise<void>;
  /** Connected after the first full listing; disconnected (with why) when the source stops answering. */
  onState: (state: { connected: boolean; error?: string }) => void;
  /** What is left out now, told when it changes. */
  onSkipped?: (skipped: TSkipReport) => void;
};

export interface ISourceAdapter {
  /** Connects, lists and watches; on a lost connection retries with backoff and sends a full snapshot once back. */
  start(events: TSourceEvents): void;
  /**
   * Writes an operator's choice where the convention's clients read it; never rewrites what a registration says otherwise.
   * `onlyIfRewritten`: only where the framework put its registration back without Meshdeck's choice in it.
   */
  writeOverride(args: { instance: TSourceInstance; override: TSourceOverride; onlyIfRewritten?: boolean }): Promise<void>;
  stop(): Promise<void>;
}
