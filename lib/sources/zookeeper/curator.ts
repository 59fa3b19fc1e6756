// Curator service discovery (curator-x-discovery): `<basePath>/<service>/<id>` holds a ServiceInstance as JSON,
// `{"name","id","address","port","sslPort","payload","registrationTimeUTC","serviceType","uriSpec"}`. It has no
// weight or enabled field, so Meshdeck keeps operators' choices under its own prefix, which the gateway and the
// discovery API honour; the listing is what the instance registered, never folded with them.
import { hostIssue, parseJsonObject } from "../decode";
import type { TSourceInstance, TSourceOverride } from "../types";
import { fitMetadata, flattenFields, isInstanceId, isPort, isServiceName, skip, type TDecoded } from "./fields";

/** `<root>/<service>/<instance id>` -> `{"weight": n|null, "enabled": b|null}`, the same layout as etcd's. */
export const meshdeckOverridesRoot = "/meshdeck/overrides";

export function meshdeckOverridePath(instance: Pick<TSourceInstance, "service" | "instanceId">): string {
  return `${meshdeckOverridesRoot}/${instance.service}/${instance.instanceId}`;
}

/** Curator's UriSpec, `{"parts":[{"value":"scheme","variable":true},{"value":"://","variable":false},...]}`, as its template. */
function uriTemplate(spec: unknown): string | null {
  const parts = spec && typeof spec === "object" ? (spec as { parts?: unknown }).parts : undefined;
  if (!Array.isArray(parts)) return null;
  return parts
    .map((part: { value?: unknown; variable?: unknown }) => (part.variable ? `{${String(part.value)}}` : typeof part.value === "string" ? part.value : ""))
    .join("");
}

/** One instance node; the service and id are the node's path, where Curator's clients look them up. */
export function decodeCuratorInstance(args: { service: string; id: string; data: string }): TDecoded {
  const value = parseJsonObject(args.data);
  if (!value) return skip("the node's data is not a JSON object");
  if (!isServiceName(args.service)) return skip(`service '${args.service.slice(0, 80)}' has characters Meshdeck does not take`);
  if (!isInstanceId(args.id)) return skip(`instance id '${args.id.slice(0, 80)}' has characters Meshdeck does not take`);
  const host = typeof value.address === "string" ? value.address : "";
  const badHost = hostIssue(host);
  if (badHost) return skip(`address '${host.slice(0, 80)}' ${badHost}`);
  // An instance registered with only an SSL port is reached on it.
  const port = isPort(value.port) ? value.port : isPort(value.sslPort) ? value.sslPort : null;
  if (port === null) return skip("the instance has neither a port nor an SSL port");
  const uri = uriTemplate(value.uriSpec);
  const described: [string, string][] = [
    ...(typeof value.serviceType === "string" ? [["serviceType", value.serviceType] as [string, string]] : []),
    ...(isPort(value.sslPort) ? [["sslPort", String(value.sslPort)] as [string, string]] : []),
    ...(typeof value.registrationTimeUTC === "number" ? [["registrationTimeUTC", String(value.registrationTimeUTC)] as [string, string]] : []),
    ...(uri ? [["uriSpec", uri] as [string, string]] : []),
  ];
  const { metadata, warning } = fitMetadata([...described, ...flattenFields(value.payload ?? null)]);
  const instance: TSourceInstance = {
    instanceId: args.id,
    service: args.service,
    host,
    port,
    weight: 100,
    enabled: true,
    tags: [],
    metadata,
  };
  return warning ? { instance, warning } : { instance };
}

/** The node's JSON for an override; null when both fields are null and the node is to be deleted. */
export function encodeMeshdeckOverride(override: TSourceOverride): string | null {
  if (override.weight === null && override.enabled === null) return null;
  return JSON.stringify({ weight: override.weight, enabled: override.enabled });
}
