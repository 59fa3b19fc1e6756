import { trafficState } from "@/lib/catalog/traffic-state";
import { eurekaStatuses, metaKeys, metaPrefix, type TEurekaStatus } from "./registration";

// How Meshdeck's instances look to a Eureka client: every instance of the catalog, whichever way it registered,
// as Netflix's InstanceInfo JSON (XML is the same shape, see xml.ts).

export type TInstanceRow = {
  instanceId: string;
  host: string;
  port: number;
  metadata: Record<string, string>;
  health: string;
  weight: number;
  weightOverride: number | null;
  enabled: boolean;
  enabledOverride: boolean | null;
  checkKind: string;
  checkTtlMs: number;
  registeredAt: Date;
  updatedAt: Date;
  lastHeartbeatAt: Date | null;
};

export type TEurekaInstance = Record<string, unknown> & {
  instanceId: string;
  app: string;
  status: TEurekaStatus;
  vipAddress: string;
  secureVipAddress: string;
};

/**
 * Eureka's status of an instance: a drain is OUT_OF_SERVICE (as Eureka's status override), critical health DOWN, then
 * what the client itself said, then weight 0 OUT_OF_SERVICE and unknown health (not yet checked) STARTING. Only UP
 * instances are in a Eureka client's list, so each of the others leaves it.
 */
export function eurekaStatus(row: Pick<TInstanceRow, "health" | "weight" | "weightOverride" | "enabled" | "enabledOverride" | "metadata">): TEurekaStatus {
  const traffic = trafficState(row);
  if (!traffic.enabled) return "OUT_OF_SERVICE";
  if (row.health === "critical") return "DOWN";
  // Only a status Eureka knows: another client's metadata may hold anything under this key.
  const own = eurekaStatuses.find((status) => status === row.metadata[metaKeys.status]);
  if (own && own !== "UP") return own;
  if (traffic.weight === 0) return "OUT_OF_SERVICE";
  if (row.health === "unknown") return "STARTING";
  return "UP";
}

function overriddenStatus(enabledOverride: boolean | null): TEurekaStatus {
  if (enabledOverride === false) return "OUT_OF_SERVICE";
  return enabledOverride === true ? "UP" : "UNKNOWN";
}

const emptyMetadata = { "@class": "java.util.Collections$EmptyMap" };

/** One instance of `service` as Eureka's InstanceInfo (without actionType, which only deltas carry). */
export function toEurekaInstance(service: string, row: TInstanceRow): TEurekaInstance {
  const meta = row.metadata;
  const own = Object.fromEntries(Object.entries(meta).filter(([key]) => !key.startsWith(metaPrefix)));
  const securePort = meta[metaKeys.securePort];
  const plainEnabled = securePort === undefined || Number(securePort) !== row.port;
  const hostName = meta[metaKeys.hostName] ?? row.host;
  const base = `http://${hostName}:${row.port}`;
  const registered = row.registeredAt.getTime();
  const leaseSeconds = row.checkKind === "ttl" ? Math.ceil(row.checkTtlMs / 1000) : 30;
  return {
    instanceId: row.instanceId,
    hostName,
    app: service.toUpperCase(),
    ipAddr: row.host,
    status: eurekaStatus(row),
    overriddenStatus: overriddenStatus(row.enabledOverride),
    port: { $: row.port, "@enabled": String(plainEnabled) },
    securePort: { $: securePort === undefined ? 443 : Number(securePort), "@enabled": String(securePort !== undefined) },
    countryId: 1,
    dataCenterInfo: { "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", name: "MyOwn" },
    leaseInfo: {
      renewalIntervalInSecs: Number(meta[metaKeys.renewalIntervalInSecs] ?? 30),
      durationInSecs: leaseSeconds,
      registrationTimestamp: registered,
      lastRenewalTimestamp: row.lastHeartbeatAt?.getTime() ?? registered,
      evictionTimestamp: 0,
      serviceUpTimestamp: registered,
    },
    metadata: Object.keys(own).length > 0 ? own : emptyMetadata,
    homePageUrl: meta[metaKeys.homePageUrl] ?? `${base}/`,
    statusPageUrl: meta[metaKeys.statusPageUrl] ?? "",
    healthCheckUrl: meta[metaKeys.healthCheckUrl] ?? "",
    vipAddress: meta[metaKeys.vipAddress] ?? service,
    secureVipAddress: meta[metaKeys.secureVipAddress] ?? service,
    isCoordinatingDiscoveryServer: "false",
    lastUpdatedTimestamp: String(row.updatedAt.getTime()),
    lastDirtyTimestamp: String(registered),
  };
}

/** The fields a delta compares: everything but the timestamps, which move with each renewal and write. */
export function stablePart(instance: TEurekaInstance): string {
  const { leaseInfo: _lease, lastUpdatedTimestamp: _updated, lastDirtyTimestamp: _dirty, ...rest } = instance;
  return JSON.stringify(rest);
}

/** Eureka's reconcile hash: each status with its count, in status order ("DOWN_1_UP_3_"); a client that differs fetches all. */
export function appsHashcode(instances: Iterable<{ status: string }>): string {
  const counts = new Map<string, number>();
  for (const { status } of instances) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([status, count]) => `${status}_${count}_`)
    .join("");
}

export type TEurekaApp = { name: string; instance: TEurekaInstance[] };

/** Eureka's `{ applications: ... }` document. */
export function applicationsDocument({ version, hashcode, apps }: { version: number; hashcode: string; apps: TEurekaApp[] }) {
  return { applications: { versions__delta: String(version), apps__hashcode: hashcode, application: apps } };
}

/** Instances grouped by app name, apps in name order. */
export function groupApps(instances: TEurekaInstance[]): TEurekaApp[] {
  const apps = new Map<string, TEurekaInstance[]>();
  for (const instance of instances) {
    const list = apps.get(instance.app);
    if (list) list.push(instance);
    else apps.set(instance.app, [instance]);
  }
  return [...apps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, instance]) => ({ name, instance }));
}
