import "server-only";
import { ConsulAdapter } from "./consul/consul-adapter";
import { EtcdAdapter } from "./etcd/etcd-adapter";
import { ZookeeperAdapter } from "./zookeeper/zookeeper-adapter";
import type { ISourceAdapter, TSourceSettings } from "./types";

/** A Source row as an adapter's settings, and nothing else of the row. */
export function settingsOf(row: TSourceSettings): TSourceSettings {
  return {
    name: row.name,
    kind: row.kind,
    convention: row.convention,
    endpoints: row.endpoints,
    prefix: row.prefix,
    username: row.username,
    password: row.password,
    tls: row.tls,
  };
}

export function createAdapter(settings: TSourceSettings): ISourceAdapter {
  switch (settings.kind) {
    case "etcd":
      return new EtcdAdapter(settings);
    case "zookeeper":
      return new ZookeeperAdapter(settings);
    case "consul":
      return new ConsulAdapter(settings);
  }
}

// A write-through waits this long for a session; a source that does not answer fails the change.
const connectForWriteMs = 5000;

/**
 * An adapter ready to write overrides. etcd writes over a stateless client; a ZooKeeper adapter needs its
 * session first, so it is started (its listing is ignored) and waited for.
 */
export async function openAdapterForWrites(settings: TSourceSettings): Promise<ISourceAdapter> {
  const adapter = createAdapter(settings);
  // Consul is written through plain HTTP requests to the instance's agent.
  if (settings.kind === "etcd" || settings.kind === "consul") return adapter;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no session with ${settings.endpoints.join(",")} within ${connectForWriteMs / 1000} s`)),
      connectForWriteMs,
    );
    adapter.start({
      onChange: async () => undefined,
      onState: ({ connected }) => {
        if (!connected) return;
        clearTimeout(timer);
        resolve();
      },
    });
  }).catch(async (error: unknown) => {
    await adapter.stop();
    throw error;
  });
  return adapter;
}
