// Dubbo providers in ZooKeeper: `/dubbo/<interface>/providers/<URL-encoded provider URL>`, one ephemeral node per
// exported interface. The service is the interface; group and version stay in the metadata and the instance id,
// so an interface served in several groups or versions is one service whose instances say which they serve.
import { hostIssue } from "../decode";
import type { TSourceInstance } from "../types";
import { decodeNodeName, interfaceOf, param, parseDubboUrl, type TDubboUrl } from "./dubbo-url";
import { fitInstanceId, fitMetadata, isInstanceId, isPort, isServiceName, javaBoolean, parseWeight, skip, type TDecoded } from "./fields";

// Read into weight, enabled and tags rather than copied to the metadata.
const readParams = new Set(["weight", "default.weight", "enabled", "disabled", "dubbo.tag", "tag"]);

/** Dubbo's rule for a provider's flag: `disabled` wins when present, else `enabled` (true by default). */
export function enabledOf(url: TDubboUrl): boolean {
  const disabled = param(url, "disabled");
  if (disabled !== undefined) return !javaBoolean(disabled);
  const enabled = param(url, "enabled");
  return enabled === undefined ? true : javaBoolean(enabled);
}

/**
 * `<interface>:<host>:<port>`, plus `:<group>:<version>` when either is set: one host:port exports many
 * interfaces, and the catalog wants ids unique within the source.
 */
export function dubboInstanceId(parts: { interface: string; host: string; port: number; group?: string; version?: string }): string {
  const scope = parts.group || parts.version ? `:${parts.group ?? ""}:${parts.version ?? ""}` : "";
  return fitInstanceId(parts.interface, `${parts.host}:${parts.port}${scope}`);
}

/** One provider node's name, decoded; what does not decode is skipped with the reason. */
export function decodeDubboProvider(nodeName: string, expectedInterface?: string): TDecoded {
  const text = decodeNodeName(nodeName);
  if (text === null) return skip("the node name is not valid URL encoding");
  const url = parseDubboUrl(text);
  if (!url) return skip(`'${text.slice(0, 80)}' is not a Dubbo URL`);
  const service = interfaceOf(url);
  if (!isServiceName(service)) return skip(`interface '${service.slice(0, 80)}' has characters Meshdeck does not take`);
  if (expectedInterface !== undefined && service !== expectedInterface)
    return skip(`the URL exports ${service}, not ${expectedInterface} whose providers it is under`);
  const badHost = hostIssue(url.host);
  if (badHost) return skip(`host '${url.host.slice(0, 80)}' ${badHost}`);
  if (!isPort(url.port)) return skip("the URL has no port");
  const group = param(url, "group");
  const version = param(url, "version");
  const instanceId = dubboInstanceId({ interface: service, host: url.host, port: url.port, group, version });
  if (!isInstanceId(instanceId)) return skip(`instance id '${instanceId}' has characters Meshdeck does not take`);
  const tags = [...new Set([param(url, "dubbo.tag"), param(url, "tag")].filter((tag): tag is string => tag !== undefined))];
  const rest = [...url.params].filter(([key]) => !readParams.has(key));
  const { metadata, warning } = fitMetadata([["protocol", url.protocol], ...rest]);
  const instance: TSourceInstance = {
    instanceId,
    service,
    host: url.host,
    port: url.port,
    weight: parseWeight(param(url, "weight")),
    enabled: enabledOf(url),
    tags,
    metadata,
  };
  return warning ? { instance, warning } : { instance };
}
