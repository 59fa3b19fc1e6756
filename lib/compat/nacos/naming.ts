import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission } from "@/lib/auth/permissions";
import { trafficSelect, trafficState, takesTraffic } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan } from "@/lib/json-depth";
import { processSingleton } from "@/lib/process-singleton";
import { recordHeartbeat } from "@/lib/registry/heartbeats";
import { deregisterInstance, registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance, type TCheck } from "@/lib/registry/schemas";
import type { NacosParams } from "./http";
import {
  clusterKey,
  defaultCluster,
  groupedName,
  meshdeckInstanceId,
  meshdeckServiceName,
  meshdeckWeight,
  nacosInstanceId,
  nacosWeight,
  parseNacosService,
  type TNacosService,
} from "./names";

// Nacos's defaults: an ephemeral instance beats every 5 s, is unhealthy 15 s after its last beat and removed 15 s
// later (30 s); a persistent one is checked by the server (TCP) and stays until deregistered.
export const beatIntervalMs = 5000;
const ephemeralCheck: TCheck = { kind: "ttl", ttl: 15_000, deregisterAfter: 15_000 };
const persistentCheck: TCheck = { kind: "tcp", interval: 5000, timeout: 2000, rise: 2, fall: 2, deregisterAfter: null };
// How often a client re-reads a service's list (Nacos's cacheMillis): there is no UDP push here, so shorter than Nacos's 10 s.
export const listCacheMs = 2000;
// The most hosts one list answers: past the fleet's largest service (5,000) with room.
const maxHosts = 10_000;
const maxCachedServices = 2000;

// Nacos codes in a beat's answer: the instance is known, or not (the client registers it again).
const beatOk = 10200;
const beatUnknown = 20404;

// The instance id is made of its service's name, so a token narrowed to some services reaches only their instances.
const assertRegisters = (actor: TActor, ref: TInstanceRef) => assertPermission({ actor, permission: "registry.register", service: ref.meshdeck });

type TInstanceRef = { service: TNacosService; meshdeck: string; ip: string; port: number; cluster: string; id: string };

function instanceRef(params: NacosParams, beat?: { serviceName?: string; ip?: string; port?: number; cluster?: string }): TInstanceRef {
  const service = parseNacosService({
    serviceName: beat?.serviceName ?? params.required("serviceName"),
    groupName: params.get("groupName"),
    namespaceId: params.get("namespaceId"),
  });
  const meshdeck = meshdeckServiceName(service);
  const ip = beat?.ip ?? params.required("ip");
  const port = beat?.port ?? params.port();
  const cluster = beat?.cluster || params.get("clusterName") || params.get("cluster") || defaultCluster;
  return { service, meshdeck, ip, port, cluster, id: meshdeckInstanceId({ service: meshdeck, ip, port }) };
}

const ZMetadataText = z
  .string()
  .max(16 * 1024, "must be at most 16 KiB")
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text || "{}");
      if (value && typeof value === "object" && !Array.isArray(value) && !isNestedDeeperThan(value, 2)) {
        return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, typeof entry === "string" ? entry : JSON.stringify(entry)]));
      }
    } catch {
      // Told below.
    }
    ctx.addIssue({ code: "custom", message: "must be a JSON object of strings" });
    return z.NEVER;
  });

/** The registration a Nacos register (or update) asks for; `enabled=false` is refused: draining is an operator's override. */
function registration(params: NacosParams, actor: TActor) {
  const ref = instanceRef(params);
  assertRegisters(actor, ref);
  if (!params.flag("enabled", params.flag("enable", true))) {
    throw new AppError("bad_request", "enabled: an instance is drained in Meshdeck (an operator's override), not by its client", "enabled");
  }
  const metadata = ZMetadataText.parse(params.get("metadata") ?? "{}");
  if (ref.cluster !== defaultCluster) metadata[clusterKey] = ref.cluster;
  const weight = params.get("weight");
  const input = ZRegisterInstance.parse({
    service: ref.meshdeck,
    id: ref.id,
    host: ref.ip,
    port: ref.port,
    weight: weight ? meshdeckWeight(Number(weight)) : 100,
    metadata,
    check: params.flag("ephemeral", true) ? ephemeralCheck : persistentCheck,
    // Nacos instances declare no metrics endpoint.
    metrics: null,
  });
  return { ref, input };
}

// POST /nacos/v1/ns/instance - register (or re-register) an instance
export async function registerNacosInstance(params: NacosParams, actor: TActor): Promise<string> {
  await registerInstance({ input: registration(params, actor).input, protocol: "nacos" });
  return "ok";
}

// PUT /nacos/v1/ns/instance - the client's own weight and metadata (the registered values; an operator's override still wins)
export async function updateNacosInstance(params: NacosParams, actor: TActor): Promise<string> {
  const { ref, input } = registration(params, actor);
  const known = await db.instance.findUnique({ where: { source_instanceId: { source: "builtin", instanceId: ref.id } }, select: { id: true } });
  if (!known) throw new AppError("not_found", `instance ${ref.ip}:${ref.port} of ${groupedName(ref.service)} is not registered`, "ip");
  await registerInstance({ input, protocol: "nacos" });
  return "ok";
}

// DELETE /nacos/v1/ns/instance - deregister; an instance already gone is "ok", as Nacos answers
export async function deregisterNacosInstance(params: NacosParams, actor: TActor): Promise<string> {
  const ref = instanceRef(params);
  assertRegisters(actor, ref);
  const { id } = ref;
  try {
    await deregisterInstance({ instanceId: id, reason: "deregistered through the Nacos API" });
  } catch (error) {
    if (!(error instanceof AppError && error.code === "not_found")) throw error;
  }
  return "ok";
}

const ZBeat = z.object({
  serviceName: z.string().max(512).optional(),
  ip: z.string().max(253),
  port: z.number().int().min(1).max(65535),
  cluster: z.string().max(128).optional(),
});

// PUT /nacos/v1/ns/instance/beat - an ephemeral instance is alive; unknown, code 20404 tells the client to register again
export async function nacosBeat(params: NacosParams, actor: TActor) {
  const text = params.get("beat");
  let beat: z.infer<typeof ZBeat> | undefined;
  if (text) {
    try {
      beat = ZBeat.parse(JSON.parse(text));
    } catch {
      throw new AppError("bad_request", "beat: must be JSON with ip and port", "beat");
    }
  }
  const ref = instanceRef(params, beat);
  assertRegisters(actor, ref);
  try {
    await recordHeartbeat({ instanceId: ref.id });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return { clientBeatInterval: beatIntervalMs, code: beatUnknown, lightBeatEnabled: false };
    throw error;
  }
  return { clientBeatInterval: beatIntervalMs, code: beatOk, lightBeatEnabled: false };
}

type THost = {
  instanceId: string;
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  clusterName: string;
  serviceName: string;
  metadata: Record<string, string>;
  instanceHeartBeatInterval: number;
  instanceHeartBeatTimeOut: number;
  ipDeleteTimeout: number;
};
type TServiceHosts = { index: number; hosts: (THost & { takesTraffic: boolean })[] };

// A service's hosts as Nacos shows them, read once per service index: every list poll between two changes shares them.
const hostCache = processSingleton("meshdeck.nacos.hosts", () => new Map<string, TServiceHosts>());

async function readHosts(ref: { service: TNacosService; meshdeck: string }): Promise<TServiceHosts> {
  const service = await db.service.findUnique({ where: { name: ref.meshdeck }, select: { id: true, modifyIndex: true } });
  if (!service) return { index: 0, hosts: [] };
  const key = `${ref.service.namespace}\u0000${groupedName(ref.service)}`;
  const cached = hostCache.get(key);
  if (cached?.index === service.modifyIndex) return cached;
  const rows = await db.instance.findMany({
    where: { serviceId: service.id },
    select: { ...trafficSelect, instanceId: true, host: true, port: true, metadata: true, checkKind: true, checkTtlMs: true, deregisterAfterMs: true },
    orderBy: { instanceId: "asc" },
    take: maxHosts,
  });
  const hosts = rows.map((row) => {
    const traffic = trafficState(row);
    const { [clusterKey]: cluster = defaultCluster, ...metadata } = row.metadata;
    const ttl = row.checkKind === "ttl";
    return {
      instanceId: nacosInstanceId({ ip: row.host, port: row.port, cluster, service: ref.service }),
      ip: row.host,
      port: row.port,
      weight: nacosWeight(traffic.weight),
      healthy: traffic.health === "passing" || traffic.health === "warning",
      enabled: traffic.enabled,
      ephemeral: ttl,
      clusterName: cluster,
      serviceName: groupedName(ref.service),
      metadata,
      instanceHeartBeatInterval: beatIntervalMs,
      instanceHeartBeatTimeOut: ttl ? row.checkTtlMs : 15_000,
      ipDeleteTimeout: ttl ? row.checkTtlMs + (row.deregisterAfterMs ?? 0) : 30_000,
      takesTraffic: takesTraffic(traffic),
    };
  });
  const read = { index: service.modifyIndex, hosts };
  if (hostCache.size >= maxCachedServices) hostCache.delete(hostCache.keys().next().value!);
  hostCache.delete(key);
  hostCache.set(key, read);
  return read;
}

function serviceOf(params: NacosParams) {
  const service = parseNacosService({
    serviceName: params.required("serviceName"),
    groupName: params.get("groupName"),
    namespaceId: params.get("namespaceId"),
  });
  return { service, meshdeck: meshdeckServiceName(service) };
}

// GET /nacos/v1/ns/instance/list - a service's instances; healthyOnly leaves out those not taking traffic (unhealthy, drained, weight 0)
export async function listNacosInstances(params: NacosParams) {
  const ref = serviceOf(params);
  const clusters = params.get("clusters") ?? "";
  const wanted = new Set(clusters.split(",").filter(Boolean));
  const healthyOnly = params.flag("healthyOnly", false);
  const { index, hosts } = await readHosts(ref);
  const shown = hosts
    .filter((host) => (wanted.size === 0 || wanted.has(host.clusterName)) && (!healthyOnly || host.takesTraffic))
    .map(({ takesTraffic: _, ...host }) => host);
  return {
    name: groupedName(ref.service),
    groupName: ref.service.group,
    clusters,
    cacheMillis: listCacheMs,
    hosts: shown,
    lastRefTime: Date.now(),
    checksum: String(index),
    allIPs: false,
    reachProtectionThreshold: false,
    valid: true,
  };
}

// GET /nacos/v1/ns/instance - one instance
export async function getNacosInstance(params: NacosParams) {
  const ref = instanceRef(params);
  const { hosts } = await readHosts(ref);
  const host = hosts.find((one) => one.ip === ref.ip && one.port === ref.port && one.clusterName === ref.cluster);
  if (!host) throw new AppError("not_found", `no instance ${ref.ip}:${ref.port} in cluster ${ref.cluster} of ${groupedName(ref.service)}`, "ip");
  return {
    service: host.serviceName,
    ip: host.ip,
    port: host.port,
    clusterName: host.clusterName,
    weight: host.weight,
    healthy: host.healthy,
    enabled: host.enabled,
    instanceId: host.instanceId,
    metadata: host.metadata,
  };
}
