import "server-only";
import type { Db, Tx } from "@/lib/db";

// Ids per query: far under SQLite's 999 bound parameters, whatever else the statement binds.
const idsPerQuery = 500;

type TOverrideRow = Awaited<ReturnType<Db["instanceOverride"]["findMany"]>>[number];

/** The operator overrides of these instances, keyed `source/instanceId`: one query per 500 instances, never one term per instance. */
export async function findOverrides(client: Db | Tx, instances: readonly { source: string; instanceId: string }[]): Promise<Map<string, TOverrideRow>> {
  const found = new Map<string, TOverrideRow>();
  const wanted = new Set(instances.map((row) => overrideKey(row)));
  const ids = [...new Set(instances.map((row) => row.instanceId))];
  for (let i = 0; i < ids.length; i += idsPerQuery) {
    const rows = await client.instanceOverride.findMany({ where: { instanceId: { in: ids.slice(i, i + idsPerQuery) } } });
    for (const row of rows) if (wanted.has(overrideKey(row))) found.set(overrideKey(row), row);
  }
  return found;
}

export const overrideKey = ({ source, instanceId }: { source: string; instanceId: string }) => `${source}/${instanceId}`;
