import "server-only";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { openAdapterForWrites, settingsOf } from "./adapters";
import type { TSourceOverride } from "./types";

// Override writes in flight at once against one etcd source: each instance's override is a key of its own. ZooKeeper's
// Dubbo overrides share a document per service, read-modified-written, so they go one at a time.
// Consul: each instance is a read and a write or two against its node's agent, 8 agents at a time.
const inFlight = { etcd: 32, zookeeper: 1, consul: 8 } as const;

export type TWriteThroughRow = {
  source: string;
  instanceId: string;
  service: string;
  host: string;
  port: number;
  weight: number;
  enabled: boolean;
  tags: string[];
  metadata: Record<string, string>;
  sourceKey: string | null;
  override: TSourceOverride;
};

/**
 * Pushes operator overrides to the registries clients read, inside the transaction that records them: a
 * source that refuses or does not answer fails the change (503), so the database never says what the source does not.
 * The built-in registry's store is the database itself.
 */
export async function writeThroughOverrides(tx: Tx, rows: TWriteThroughRow[]) {
  const bySource = new Map<string, TWriteThroughRow[]>();
  for (const row of rows) {
    if (row.source === "builtin") continue;
    const list = bySource.get(row.source);
    if (list) list.push(row);
    else bySource.set(row.source, [row]);
  }
  for (const [name, instances] of bySource) {
    const source = await tx.source.findUnique({ where: { name } });
    if (!source) throw new AppError("not_found", `source '${name}' of ${instances[0]!.instanceId} no longer exists`, "selector");
    let adapter: Awaited<ReturnType<typeof openAdapterForWrites>>;
    try {
      adapter = await openAdapterForWrites(settingsOf(source));
    } catch (error) {
      throw new AppError(
        "unavailable",
        `source '${name}' did not answer (${error instanceof Error ? error.message : String(error)}); nothing was changed`,
        "selector",
      );
    }
    try {
      // A drain of thousands of etcd instances takes a round trip per 32 of them, not one each.
      let next = 0;
      const writeNext = async (): Promise<void> => {
        const row = instances[next++];
        if (!row) return;
        const instance = {
          instanceId: row.instanceId,
          service: row.service,
          host: row.host,
          port: row.port,
          weight: row.weight,
          enabled: row.enabled,
          tags: row.tags,
          metadata: row.metadata,
          ...(row.sourceKey ? { key: row.sourceKey } : {}),
        };
        await adapter.writeOverride({ instance, override: row.override });
        return writeNext();
      };
      await Promise.all(Array.from({ length: Math.min(inFlight[settingsOf(source).kind], instances.length) }, writeNext));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        "unavailable",
        `source '${name}' did not take the change (${error instanceof Error ? error.message : String(error)}); nothing was changed`,
        "selector",
      );
    } finally {
      await adapter.stop();
    }
  }
}
