import "server-only";
import type { TBalancingPolicy } from "@/lib/balancing";
import { getCatalogIndex, getKnownCatalogIndex, getServiceIndex } from "@/lib/catalog/catalog-index";
import { takesTraffic, trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { groupBy } from "@/lib/group-by";
import { processSingleton } from "@/lib/process-singleton";
import { JsonCache } from "./json-cache";
import type { TDiscoveredService, TDiscoveryCatalog } from "./schemas";

// Only what discovery answers: a service of 5,000 instances is read often, by every data plane and watcher.
const instanceSelect = { ...trafficSelect, instanceId: true, host: true, port: true, tags: true, metadata: true } as const;
const serviceSelect = { name: true, modifyIndex: true, policy: true, hashHeader: true } as const;
const discoverySelect = { ...serviceSelect, instances: { select: instanceSelect, orderBy: { instanceId: "asc" } } } as const;

type TDiscoveryRow = Awaited<ReturnType<typeof db.service.findMany<{ select: typeof discoverySelect }>>>[number];

function toDiscoveredService(service: Omit<TDiscoveryRow, "policy"> & { policy: TBalancingPolicy }): TDiscoveredService {
  const instances: TDiscoveredService["instances"] = [];
  for (const row of service.instances) {
    const traffic = trafficState(row);
    if (!takesTraffic(traffic)) continue;
    instances.push({ id: row.instanceId, host: row.host, port: row.port, weight: traffic.weight, tags: row.tags, metadata: row.metadata, health: row.health });
  }
  return { service: service.name, index: service.modifyIndex, policy: service.policy, hashHeader: service.hashHeader, instances };
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
  // Two flat reads joined here: a nested read of every service's instances binds one parameter per service, past
  // SQLite's 999 with a fleet of 1,000 services.
  const [services, instances] = await Promise.all([
    db.service.findMany({ select: { ...serviceSelect, id: true }, orderBy: { name: "asc" } }),
    db.instance.findMany({ select: { ...instanceSelect, serviceId: true }, orderBy: { instanceId: "asc" } }),
  ]);
  const byService = groupBy(instances, (row) => row.serviceId);
  return { index, services: services.map((service) => toDiscoveredService({ ...service, instances: byService.get(service.id) ?? [] })) };
}

// Discovery answers as JSON text, the newest of each service and of the catalog: 1,000 watchers woken by one change
// share one read and one serialization. Every change to what discovery shows moves the service's modifyIndex and the
// catalog index (lib/catalog), so an answer at or past the index asked for is current; an older one is replaced.
const answers = processSingleton("meshdeck.discovery.answers", () => new JsonCache({ maxEntries: 2000, maxBytes: 64 * 1024 * 1024 }));

export type TDiscoveryJson = { index: number; json: Buffer };

/**
 * `listDiscoverableInstances` as JSON text, read once per service index. `index` is the service's index when the
 * caller knows it (a watch just woken by it); else it is read.
 */
export async function getDiscoveredServiceJson({ name, index }: { name: string; index?: number }): Promise<TDiscoveryJson> {
  const known = index ?? (await getServiceIndex({ name }));
  // A service not registered has no index of its own: its (empty) answer carries the catalog's, read each time.
  if (known === 0) return serialize(await listDiscoverableInstances({ name }));
  return answers.get(`service ${name}`, known, async () => serialize(await listDiscoverableInstances({ name })));
}

/** `listDiscoveryCatalog` as JSON text, read once per catalog index. */
export async function getDiscoveryCatalogJson({ index }: { index?: number } = {}): Promise<TDiscoveryJson> {
  const known = index ?? (await getKnownCatalogIndex());
  return answers.get("catalog", known, async () => serialize(await listDiscoveryCatalog()));
}

function serialize(answer: { index: number }): TDiscoveryJson {
  return { index: answer.index, json: Buffer.from(JSON.stringify(answer)) };
}
