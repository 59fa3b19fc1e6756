import "server-only";
import { AppError } from "@/lib/errors";
import { parseAddress } from "../decode";
import type { TSourceInstance, TSourceOverride, TSourceSettings } from "../types";
import { consulRequest } from "./consul-http";
import { meshdeckDrainReason, nodeAddressKey, registeredWeightMeta, serviceMaintenancePrefix, type TConsulCheck } from "./decode-health";

type TAgentService = Record<string, unknown> & {
  ID?: string;
  Service?: string;
  Meta?: Record<string, string> | null;
  Weights?: { Passing?: number; Warning?: number } | null;
};

// What GET /v1/agent/service/:id answers beyond a registration's fields; the register endpoint takes `Name`.
const readOnlyFields = ["ContentHash", "Datacenter", "CreateIndex", "ModifyIndex", "Service", "PeerName", "Partition"];

/** The agent of the instance's node: its address as the catalog has it, on the port the source's endpoints use. */
function agentOf(settings: Pick<TSourceSettings, "endpoints">, instance: TSourceInstance): { address: string; serviceId: string } {
  const first = settings.endpoints[0] ?? "";
  const port = parseAddress(first)?.port;
  const host = instance.metadata[nodeAddressKey];
  if (!host || !port || !instance.key)
    throw new AppError("unavailable", `${instance.instanceId}: its Consul node is not known yet; try again after the next sync`, "selector");
  // The agents speak the scheme the source's endpoints do.
  const scheme = first.startsWith("https://") ? "https://" : "";
  return { address: `${scheme}${host.includes(":") ? `[${host}]` : host}:${port}`, serviceId: instance.key };
}

/** The registration with Meshdeck's weight in `Weights.Passing`, or with the registered weight put back (null); null when nothing changes. */
export function reweighted(service: TAgentService, weight: number | null): Record<string, unknown> | null {
  const meta = { ...(service.Meta ?? {}) };
  const weights = { Passing: service.Weights?.Passing ?? 1, Warning: service.Weights?.Warning ?? 1 };
  if (weight === null) {
    if (!(registeredWeightMeta in meta)) return null;
    weights.Passing = Math.max(1, Number(meta[registeredWeightMeta]) || 1);
    delete meta[registeredWeightMeta];
  } else {
    if (registeredWeightMeta in meta && weights.Passing === weight) return null;
    // The first override keeps what the instance registered, to put it back on reset.
    if (!(registeredWeightMeta in meta)) meta[registeredWeightMeta] = String(weights.Passing);
    weights.Passing = weight;
  }
  const definition: Record<string, unknown> = { ...service, Name: service.Service, Meta: meta, Weights: weights };
  for (const field of readOnlyFields) delete definition[field];
  return definition;
}

/**
 * Writes an operator's choice where Consul's clients honour it, through the agent that holds the registration:
 * a weight re-registers the service with its full definition and new `Weights`; a drain is the service's
 * maintenance mode, with Meshdeck's reason so it reads back as an override and not as the registration.
 */
export async function writeConsulOverride(settings: TSourceSettings, instance: TSourceInstance, override: TSourceOverride) {
  if (override.weight === 0)
    throw new AppError("validation_failed", `${instance.instanceId}: Consul weights start at 1; drain the instance to send it no traffic`, "weight");
  const { address, serviceId } = agentOf(settings, instance);
  const id = encodeURIComponent(serviceId);
  const ask = <T>(request: Omit<Parameters<typeof consulRequest>[1], "address">) =>
    consulRequest<T>(settings, { address, ...request }).catch((error: unknown) => {
      throw new AppError(
        "unavailable",
        `the Consul agent of ${instance.instanceId} at ${address} did not take the change (${error instanceof Error ? error.message : String(error)})`,
        "selector",
      );
    });
  const { body: service } = await ask<TAgentService>({ path: `/v1/agent/service/${id}` });
  const definition = reweighted(service, override.weight);
  if (definition) await ask({ method: "PUT", path: "/v1/agent/service/register", body: definition });
  if (override.enabled === false) {
    await ask({ method: "PUT", path: `/v1/agent/service/maintenance/${id}`, query: { enable: "true", reason: meshdeckDrainReason } });
    return;
  }
  // Reset: only Meshdeck's own maintenance is lifted; someone else's is the registration's. Enabled: any is lifted.
  if (override.enabled === null) {
    const { body: checks } = await ask<Record<string, TConsulCheck> | null>({ path: "/v1/agent/checks" });
    const ours = checks?.[`${serviceMaintenancePrefix}${serviceId}`]?.Notes === meshdeckDrainReason;
    if (!ours) return;
  }
  await ask({ method: "PUT", path: `/v1/agent/service/maintenance/${id}`, query: { enable: "false" } });
}
