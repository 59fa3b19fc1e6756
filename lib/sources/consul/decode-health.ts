// Consul's /v1/health/service/:name entries read into instances: the node's and the service's checks decide
// health, maintenance decides enabled, Weights.Passing is the weight.
import { hostIssue, instanceIdOf, parseWeight, serviceNameOf, stringFields } from "../decode";
import type { TSourceInstance } from "../types";

export type TConsulCheck = {
  Node?: string;
  CheckID?: string;
  Name?: string;
  Status?: string;
  Output?: string;
  Notes?: string;
  ServiceID?: string;
  ServiceName?: string;
};
export type TConsulServiceEntry = {
  Node?: { Node?: string; Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Tags?: string[] | null;
    Address?: string;
    Port?: number;
    Meta?: Record<string, string> | null;
    Weights?: { Passing?: number; Warning?: number } | null;
  };
  Checks?: TConsulCheck[] | null;
};

export const nodeMaintenance = "_node_maintenance";
export const serviceMaintenancePrefix = "_service_maintenance:";
/** The reason Meshdeck gives a drain, so its own maintenance is read as its override and not as the registration's. */
export const meshdeckDrainReason = "Meshdeck drain";
/** Service Meta where a weight write-through keeps the weight the instance registered, to put it back on reset. */
export const registeredWeightMeta = "meshdeck-registered-weight";
/** Instance metadata naming where the registration lives: the node's agent and the service's id on it. */
export const nodeAddressKey = "consul.node-address";

const severity = { passing: 0, warning: 1, critical: 2 } as const;
type TStatus = keyof typeof severity;

function statusOf(text: string | undefined): TStatus {
  // An unknown status is not a pass: Consul itself counts only these three.
  return text === "passing" || text === "warning" ? text : "critical";
}

function isMaintenance(check: TConsulCheck): boolean {
  return check.CheckID === nodeMaintenance || (check.CheckID ?? "").startsWith(serviceMaintenancePrefix);
}

/** The worst of the checks that are not maintenance (a planned change, never a failure); no checks pass, as in Consul. */
export function healthOf(checks: TConsulCheck[]): NonNullable<TSourceInstance["health"]> {
  let worst: TConsulCheck | undefined;
  for (const check of checks) {
    if (isMaintenance(check)) continue;
    if (!worst || severity[statusOf(check.Status)] > severity[statusOf(worst.Status)]) worst = check;
  }
  if (!worst) return { status: "passing", output: "no Consul checks" };
  const status = statusOf(worst.Status);
  const output = `${worst.Name ?? worst.CheckID ?? "check"}: ${status}${worst.Output ? ` (${worst.Output.trim().slice(0, 160)})` : ""}`;
  return { status, output };
}

/** Maintenance set by anyone but Meshdeck is the registration's; Meshdeck's own drain is its override, kept apart. */
export function registeredEnabled(checks: TConsulCheck[]): boolean {
  return !checks.some(
    (check) => check.CheckID === nodeMaintenance || ((check.CheckID ?? "").startsWith(serviceMaintenancePrefix) && check.Notes !== meshdeckDrainReason),
  );
}

export type TDecodedEntry = { instance: TSourceInstance } | { skipped: string };

export function decodeServiceEntry(entry: TConsulServiceEntry): TDecodedEntry {
  const node = entry.Node ?? {};
  const service = entry.Service ?? {};
  const name = serviceNameOf(service.Service ?? "");
  const instanceId = instanceIdOf(`${node.Node ?? ""}:${service.ID ?? ""}`);
  if (!name || !instanceId || !node.Node || !service.ID) return { skipped: "its node name, service name or service id has characters Meshdeck does not take" };
  const host = service.Address || node.Address || "";
  const port = service.Port ?? 0;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { skipped: `port ${port} is not between 1 and 65535` };
  const badHost = hostIssue(host);
  if (badHost) return { skipped: `host '${host.slice(0, 80)}' ${badHost}` };
  const checks = entry.Checks ?? [];
  const { [registeredWeightMeta]: registered, ...meta } = stringFields(service.Meta);
  const metadata = { ...meta, "consul.node": node.Node, [nodeAddressKey]: node.Address ?? host, "consul.service-id": service.ID };
  return {
    instance: {
      instanceId,
      service: name,
      host,
      port,
      weight: parseWeight(registered ?? service.Weights?.Passing, 1),
      enabled: registeredEnabled(checks),
      tags: (service.Tags ?? []).filter((tag): tag is string => typeof tag === "string"),
      metadata,
      key: service.ID,
      health: healthOf(checks),
    },
  };
}
