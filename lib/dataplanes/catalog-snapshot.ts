import "server-only";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { groupBy } from "@/lib/group-by";
import { processSingleton } from "@/lib/process-singleton";
import type { TCatalogInstance } from "./haproxy/plan";

export type TCatalogSnapshot = { index: number; services: Map<string, TCatalogInstance[]> };

// Every data plane of this process reads the catalog once per catalog index, whatever their number.
const cache = processSingleton("meshdeck.dataplanes.catalog", () => ({ index: -1, snapshot: undefined as Promise<TCatalogSnapshot> | undefined }));

async function readSnapshot(index: number): Promise<TCatalogSnapshot> {
  // Two flat reads joined here (as discovery does): a nested read binds a parameter per service, past SQLite's 999.
  const [services, instances] = await Promise.all([
    db.service.findMany({ select: { id: true, name: true } }),
    db.instance.findMany({
      select: { ...trafficSelect, serviceId: true, source: true, instanceId: true, host: true, port: true },
      orderBy: { instanceId: "asc" },
    }),
  ]);
  const byService = groupBy(instances, (row) => row.serviceId);
  const map = new Map<string, TCatalogInstance[]>();
  for (const service of services) {
    map.set(
      service.name,
      (byService.get(service.id) ?? []).map((row) => ({
        source: row.source,
        instanceId: row.instanceId,
        host: row.host,
        port: row.port,
        ...trafficState(row),
      })),
    );
  }
  return { index, services: map };
}

/** Every service's instances (drained and critical ones too: a data plane shows them as such), as of the catalog index now. */
export async function getCatalogSnapshot(): Promise<TCatalogSnapshot> {
  // The index is read first: a change that lands between it and the rows is newer, and wakes the next wait.
  const index = await getCatalogIndex();
  if (cache.index !== index || !cache.snapshot) {
    cache.index = index;
    cache.snapshot = readSnapshot(index);
    cache.snapshot.catch(() => {
      if (cache.index === index) cache.snapshot = undefined;
    });
  }
  return cache.snapshot;
}
