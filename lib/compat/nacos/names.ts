// How Nacos's names map onto Meshdeck's (docs/registries.md, "Nacos API"): pure, so the mapping is tested on its own.
import { AppError } from "@/lib/errors";

export const publicNamespace = "public";
export const defaultGroup = "DEFAULT_GROUP";
export const defaultCluster = "DEFAULT";
/** Where a Nacos cluster other than DEFAULT is kept in an instance's metadata (and taken out again for Nacos clients). */
export const clusterKey = "nacos.cluster";

// Nacos's own separator in `group@@service`, and the one Meshdeck's names use for namespace and group.
const nacosSeparator = "@@";
const separator = "--";

export type TNacosService = { namespace: string; group: string; name: string };

/**
 * The Nacos service named by `serviceName` (`group@@name` as clients send it, or a bare name) and `groupName`.
 * An empty or `public` namespaceId is Nacos's default namespace.
 */
export function parseNacosService({ serviceName, groupName, namespaceId }: { serviceName: string; groupName?: string; namespaceId?: string }): TNacosService {
  const parts = serviceName.split(nacosSeparator);
  if (parts.length > 2) throw new AppError("bad_request", "serviceName: must be name or group@@name", "serviceName");
  const [group, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [groupName || defaultGroup, parts[0]!];
  if (groupName && groupName !== group) throw new AppError("bad_request", `groupName: '${groupName}' differs from serviceName's group '${group}'`, "groupName");
  const namespace = namespaceId || publicNamespace;
  for (const [field, value] of [
    ["namespaceId", namespace],
    ["groupName", group],
    ["serviceName", name],
  ] as const) {
    if (!value) throw new AppError("bad_request", `${field}: must not be empty`, field);
    // The separator of the mapped name: one inside a part would make two Nacos services share a Meshdeck name.
    if (value.includes(separator)) throw new AppError("bad_request", `${field}: must not hold '${separator}'`, field);
  }
  return { namespace, group, name };
}

/** public + DEFAULT_GROUP: the name as it is; another group: `group--name`; another namespace: `namespace--group--name`. */
export function meshdeckServiceName({ namespace, group, name }: TNacosService): string {
  if (namespace !== publicNamespace) return [namespace, group, name].join(separator);
  return group === defaultGroup ? name : [group, name].join(separator);
}

/** `group@@name`, the name Nacos clients key their caches by. */
export function groupedName({ group, name }: TNacosService): string {
  return `${group}${nacosSeparator}${name}`;
}

/** The Meshdeck instance id of a Nacos instance: its service and address (Nacos's own identity, ip and port in a service). */
export function meshdeckInstanceId({ service, ip, port }: { service: string; ip: string; port: number }): string {
  return `${service}:${ip}:${port}`;
}

/** Nacos's instanceId shape: `ip#port#cluster#group@@name`. */
export function nacosInstanceId({ ip, port, cluster, service }: { ip: string; port: number; cluster: string; service: TNacosService }): string {
  return [ip, port, cluster, groupedName(service)].join("#");
}

// Nacos weights are floats with 1.0 the default; Meshdeck's are whole numbers 0..10000 with 100 the default.
const scale = 100;
export const maxNacosWeight = 10000 / scale;

/** A Nacos weight as Meshdeck's: times 100, rounded (1.0 -> 100, 0.5 -> 50, 100 -> 10000). */
export function meshdeckWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight < 0 || weight > maxNacosWeight) {
    throw new AppError("bad_request", `weight: must be a number between 0 and ${maxNacosWeight} (Meshdeck weights are 0..10000, Nacos's times 100)`, "weight");
  }
  return Math.round(weight * scale);
}

export function nacosWeight(weight: number): number {
  return weight / scale;
}
