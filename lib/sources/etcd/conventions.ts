// How each framework lays out its registrations in etcd, read into instances. A key that does not decode
// is skipped with the reason, never guessed at.
import {
  fitInstanceId,
  fitMetadata,
  hostIssue,
  instanceIdOf,
  parseAddress,
  parseJsonObject,
  parseWeight,
  serviceNameOf,
  skip,
  stringFields,
  type TDecoded,
} from "../decode";
import type { TSourceInstance } from "../types";

export const etcdConventions = ["url", "go-micro", "grpc", "kratos"] as const;
export type TEtcdConvention = (typeof etcdConventions)[number];

export type { TDecoded };

type TEntry = { key: string; value: string; prefix: string };

/** The key's path below the prefix, split into segments (empty ones dropped). */
function segmentsOf({ key, prefix }: TEntry): string[] {
  return key.slice(prefix.length).split("/").filter(Boolean);
}

/** The instance with its metadata fitted to the catalog's limits; what is left out is told as a warning. */
function withMetadata(decoded: TSourceInstance, entries: [string, string][]): TDecoded {
  const { metadata, warning } = fitMetadata(entries);
  return { instance: { ...decoded, metadata }, ...(warning ? { warning } : {}) };
}

function instance(fields: Omit<TSourceInstance, "weight" | "enabled" | "tags"> & Partial<TSourceInstance>): TSourceInstance {
  return { weight: 100, enabled: true, tags: [], ...fields };
}

/** The seed's form: `<prefix>/<service>/<id>` (or a single `/<service>` key, id `<service>:<host>:<port>`) holding `http://host:port`. */
function decodeUrl(entry: TEntry): TDecoded {
  const segments = segmentsOf(entry);
  const address = parseAddress(entry.value);
  if (!address) return skip(`value '${entry.value.slice(0, 80)}' is not a URL or host:port`);
  if (segments.length === 0) return skip("the key is the prefix itself");
  const service = serviceNameOf(segments.length === 1 ? segments[0]! : segments.slice(0, -1).join("/"));
  // A single key's id is its address, qualified by the service: two services at one address are two instances.
  const id = service ? instanceIdOf(segments.length === 1 ? fitInstanceId(service, `${address.host}:${address.port}`) : segments.at(-1)!) : null;
  if (!service || !id) return skip("the key's service or instance part has characters Meshdeck does not take");
  return withMetadata(
    instance({ instanceId: id, service, ...address, metadata: {}, key: entry.key }),
    /^https?:\/\//.test(entry.value) ? [["url", entry.value]] : [],
  );
}

/** go-micro's registry.Service JSON, one node per key: `/micro/registry/<service>/<node id>`. */
function decodeGoMicro(entry: TEntry): TDecoded {
  const value = parseJsonObject(entry.value);
  const node = Array.isArray(value?.nodes) ? (value.nodes[0] as Record<string, unknown> | undefined) : undefined;
  if (!value || !node || typeof value.name !== "string") return skip("value is not go-micro registry JSON with a node");
  const address = typeof node.address === "string" ? parseAddress(node.address) : null;
  const service = serviceNameOf(value.name);
  const id = typeof node.id === "string" ? instanceIdOf(node.id) : null;
  if (!address || !service || !id) return skip("the node's id, address or the service name is missing or malformed");
  const metadata = {
    ...stringFields(value.metadata),
    ...stringFields(node.metadata),
    ...(typeof value.version === "string" ? { version: value.version } : {}),
  };
  return withMetadata(instance({ instanceId: id, service, ...address, metadata: {}, key: entry.key }), Object.entries(metadata));
}

/**
 * gRPC-Go's etcd naming endpoints: `<target>/<endpoint>` -> `{"Addr": "host:port", "Metadata": ...}`. A key one
 * segment below the prefix is an endpoint of the target the prefix names (`my-service/` reads `my-service/1.2.3.4`).
 * Endpoint names are unique per target only, so the id is `<service>:<endpoint>`.
 */
function decodeGrpc(entry: TEntry): TDecoded {
  const below = segmentsOf(entry);
  const segments = below.length === 1 ? [...entry.prefix.split("/").filter(Boolean), ...below] : below;
  const value = parseJsonObject(entry.value);
  if (!value || typeof value.Addr !== "string") return skip("value is not a gRPC naming endpoint (JSON with Addr)");
  // An Op of 1 is the old naming package's Delete update.
  if (value.Op === 1) return skip("a delete update");
  const address = parseAddress(value.Addr);
  const service = segments.length >= 2 ? serviceNameOf(segments.slice(0, -1).join("/")) : null;
  const id = service ? instanceIdOf(fitInstanceId(service, segments.at(-1) ?? "")) : null;
  if (!address || !service || !id) return skip("the key is not <target>/<endpoint> or Addr is not host:port");
  return withMetadata(instance({ instanceId: id, service, ...address, metadata: {}, key: entry.key }), Object.entries(stringFields(value.Metadata)));
}

/** Where a Kratos write-through keeps the weight the instance registered, to restore it on reset. */
export const kratosRegisteredWeightKey = "meshdeck.registered-weight";

/** Kratos's ServiceInstance JSON at `/microservices/<name>/<id>`; its selectors read metadata `weight`. */
function decodeKratos(entry: TEntry): TDecoded {
  const value = parseJsonObject(entry.value);
  if (!value || typeof value.id !== "string" || typeof value.name !== "string" || !Array.isArray(value.endpoints)) {
    return skip("value is not Kratos ServiceInstance JSON (id, name, endpoints)");
  }
  const endpoints = value.endpoints.filter((e): e is string => typeof e === "string");
  // HTTP first: that is what the gateway and the health checks speak.
  const endpoint = endpoints.find((e) => e.startsWith("http://")) ?? endpoints[0];
  const address = endpoint ? parseAddress(endpoint) : null;
  const service = serviceNameOf(value.name);
  const id = instanceIdOf(value.id);
  if (!address || !service || !id) return skip("the id, name or first endpoint is missing or malformed");
  const { [kratosRegisteredWeightKey]: registered, ...metadata } = stringFields(value.metadata);
  if (typeof value.version === "string" && value.version) metadata.version = value.version;
  const weight = parseWeight(registered ?? metadata.weight);
  return withMetadata(
    instance({ instanceId: id, service, ...address, weight, metadata: {}, key: entry.key }),
    Object.entries({ ...metadata, endpoints: endpoints.join(",") }),
  );
}

const decoders: Record<TEtcdConvention, (entry: TEntry) => TDecoded> = { url: decodeUrl, "go-micro": decodeGoMicro, grpc: decodeGrpc, kratos: decodeKratos };

export function decodeEtcdEntry(convention: TEtcdConvention, entry: TEntry): TDecoded {
  const decoded = decoders[convention](entry);
  if (!("instance" in decoded)) return decoded;
  const badHost = hostIssue(decoded.instance.host);
  return badHost ? skip(`host '${decoded.instance.host.slice(0, 80)}' ${badHost}`) : decoded;
}
