import "server-only";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { db } from "@/lib/db";
import { processSingleton } from "@/lib/process-singleton";
import { DeltaLog } from "./delta-log";
import { appsHashcode, groupApps, toEurekaInstance, type TEurekaApp, type TEurekaInstance } from "./eureka-view";

const instanceSelect = {
  serviceId: true,
  instanceId: true,
  host: true,
  port: true,
  metadata: true,
  health: true,
  weight: true,
  weightOverride: true,
  enabled: true,
  enabledOverride: true,
  checkKind: true,
  checkTtlMs: true,
  registeredAt: true,
  updatedAt: true,
  lastHeartbeatAt: true,
} as const;

export type TRegistryView = {
  index: number;
  apps: TEurekaApp[];
  byName: Map<string, TEurekaApp>;
  hashcode: string;
  /** Answers serialized once per view (the full registry in JSON and in XML), as every client asks the same. */
  serialized: Map<string, string>;
};

// One view per catalog index, read once however many clients ask: every change to an instance moves the index (lib/catalog).
const state = processSingleton("meshdeck.eureka.view", () => ({
  view: undefined as TRegistryView | undefined,
  loading: undefined as Promise<TRegistryView> | undefined,
  delta: new DeltaLog(),
}));

async function loadView(index: number): Promise<TRegistryView> {
  // Two flat reads joined here, as discovery does: no parameter per service.
  const [services, rows] = await Promise.all([
    db.service.findMany({ select: { id: true, name: true } }),
    db.instance.findMany({ select: instanceSelect, orderBy: { instanceId: "asc" } }),
  ]);
  const names = new Map(services.map(({ id, name }) => [id, name]));
  const instances: TEurekaInstance[] = [];
  for (const row of rows) {
    const service = names.get(row.serviceId);
    if (service) instances.push(toEurekaInstance(service, row));
  }
  state.delta.observe(instances);
  const apps = groupApps(instances);
  return { index, apps, byName: new Map(apps.map((app) => [app.name, app])), hashcode: appsHashcode(instances), serialized: new Map() };
}

/** The whole catalog as Eureka's applications, as of the catalog's current index. */
export async function getRegistryView(): Promise<TRegistryView> {
  const index = await getCatalogIndex();
  if (state.view && state.view.index >= index) return state.view;
  // One read at a time: requests arriving during it share it, or the next.
  while (state.loading) await state.loading.catch(() => undefined);
  if (state.view && state.view.index >= index) return state.view;
  const loading = loadView(index);
  state.loading = loading;
  try {
    state.view = await loading;
    return state.view;
  } finally {
    state.loading = undefined;
  }
}

/** The changes of the last minutes, and whether a client may trust them (else it fetches everything). */
export function getRecentChanges() {
  return state.delta.delta();
}
