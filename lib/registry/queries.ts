import "server-only";
import type { TBalancingPolicy } from "@/lib/balancing";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { instanceSelect, toInstanceView, type TInstanceRow } from "./instance-view";
import type { TDiscoveredService, TDiscoveryCatalog } from "./schemas";

const discoverySelect = {
  name: true,
  modifyIndex: true,
  policy: true,
  hashHeader: true,
  instances: { select: instanceSelect, orderBy: { instanceId: "asc" } },
} as const;

function toDiscoveredService(service: {
  name: string;
  modifyIndex: number;
  policy: TBalancingPolicy;
  hashHeader: string | null;
  instances: TInstanceRow[];
}): TDiscoveredService {
  const instances = service.instances.map(toInstanceView).filter((instance) => instance.takesTraffic);
  return {
    service: service.name,
    index: service.modifyIndex,
    policy: service.policy,
    hashHeader: service.hashHeader,
    instances: instances.map(({ id, host, port, weight, tags, metadata, health }) => ({ id, host, port, weight, tags, metadata, health })),
  };
}

/** The instances of a service able to take traffic, its load-balancing policy, and the index a watcher should wait past. */
export async function listDiscoverableInstances({ name }: { name: string }): Promise<TDiscoveredService> {
  const service = await db.service.findUnique({ where: { name }, select: discoverySelect });
  if (service) return toDiscoveredService(service);
  return { service: name, index: await getCatalogIndex(), policy: "weighted-round-robin", hashHeader: null, instances: [] };
}

/** Every service's traffic set and policy, for data planes that route them all: one watch instead of one per service. */
export async function listDiscoveryCatalog(): Promise<TDiscoveryCatalog> {
  // The index is read first: a change that lands between the two reads is then newer than it, and wakes the next watch.
  const index = await getCatalogIndex();
  const services = await db.service.findMany({ select: discoverySelect, orderBy: { name: "asc" } });
  return { index, services: services.map(toDiscoveredService) };
}

export async function getServiceIndex({ name }: { name: string }): Promise<number> {
  const service = await db.service.findUnique({ where: { name }, select: { modifyIndex: true } });
  return service?.modifyIndex ?? 0;
}
