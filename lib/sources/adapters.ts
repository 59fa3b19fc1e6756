import "server-only";
import { EtcdAdapter } from "./etcd/etcd-adapter";
import type { ISourceAdapter, TSourceSettings, TSourceTls } from "./types";

/** A Source row as an adapter's settings; endpoints and TLS are stored as JSON. */
export function settingsOf(row: { name: string; kind: string; convention: string; endpoints: string; prefix: string; username: string | null; password: string | null; tls: string | null }): TSourceSettings {
  return {
    name: row.name,
    kind: row.kind as TSourceSettings["kind"],
    convention: row.convention as TSourceSettings["convention"],
    endpoints: JSON.parse(row.endpoints) as string[],
    prefix: row.prefix,
    username: row.username,
    password: row.password,
    tls: row.tls ? (JSON.parse(row.tls) as TSourceTls) : null,
  };
}

export function createAdapter(settings: TSourceSettings): ISourceAdapter {
  switch (settings.kind) {
    case "etcd":
      return new EtcdAdapter(settings);
    case "zookeeper":
      throw new Error("the ZooKeeper adapter lands with the ZooKeeper conventions");
  }
}
