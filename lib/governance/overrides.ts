import "server-only";
import type { Db, Tx } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";

type TOverrideRow = Awaited<ReturnType<Db["instanceOverride"]["findMany"]>>[number];

/** The operator overrides of these instances, keyed `source/instanceId`: one query per 500 instances, never one term per instance. */
export async function findOverrides(client: Db | Tx, instances: readonly { source: string; instanceId: string }[]): Promise<Map<string, TOverrideRow>> {
  const found = new Map<string, TOverrideRow>();
  const wanted = new Set(instances.map((row) => overrideKey(row)));
  for (const ids of chunked([...new Set(instances.map((row) => row.instanceId))])) {
    const rows = await client.instanceOverride.findMany({ where: { instanceId: { in: ids } } });
    for (const row of rows) if (wanted.has(overrideKey(row))) found.set(overrideKey(row), row);
  }
  return found;
}

export const overrideKey = ({ source, instanceId }: { source: string; instanceId: string }) => `${source}/${instanceId}`;
