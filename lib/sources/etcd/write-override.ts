import type { Etcd3 } from "etcd3";
import { AppError } from "@/lib/errors";
import type { TSourceInstance, TSourceOverride } from "../types";
import { kratosRegisteredWeightKey, type TEtcdConvention } from "./conventions";

/**
 * Where Meshdeck writes what a convention has no field for, `<prefix><service>/<instance id>` -> JSON
 * `{"weight": n, "enabled": b}`, for clients (and the gateway, through discovery) to honour.
 */
export const meshdeckOverridePrefix = "/meshdeck/overrides/";

export function overrideKey(instance: Pick<TSourceInstance, "service" | "instanceId">): string {
  return `${meshdeckOverridePrefix}${instance.service}/${instance.instanceId}`;
}

// A registration re-put between our read and our write is read again; after this many tries the change fails.
const maxTries = 3;

/**
 * The metadata `weight` Meshdeck keeps in a Kratos registration for an override, null for none: Kratos has no enabled
 * flag and its balancers never pick a node of weight 0, so a drain is weight 0.
 */
export function kratosWeightOf(override: TSourceOverride): number | null {
  return override.enabled === false ? 0 : override.weight;
}

/**
 * Kratos's selectors read metadata `weight`: set it in the registration, keeping its lease and every other field.
 * With `onlyIfRewritten`, a registration still carrying Meshdeck's mark is left alone: only one the framework put
 * back in its own form (after losing its lease) is written again.
 */
async function writeKratosWeight(client: Etcd3, instance: TSourceInstance, weight: number | null, onlyIfRewritten = false) {
  if (!instance.key) throw new AppError("unavailable", `${instance.instanceId}: its etcd key is not known yet; try again after the next sync`, "selector");
  for (let attempt = 1; attempt <= maxTries; attempt += 1) {
    const { kvs } = await client.get(instance.key).exec();
    const kv = kvs[0];
    if (!kv) throw new AppError("not_found", `${instance.instanceId} is no longer registered in etcd (${instance.key})`, "selector");
    const value = JSON.parse(kv.value.toString()) as { metadata?: Record<string, string> | null };
    const metadata = { ...(value.metadata ?? {}) };
    if (onlyIfRewritten && (kratosRegisteredWeightKey in metadata || weight === null)) return;
    if (weight !== null) {
      // The first override keeps what the instance registered ("" when it had no weight), to put it back on reset.
      if (!(kratosRegisteredWeightKey in metadata)) metadata[kratosRegisteredWeightKey] = metadata.weight ?? "";
      metadata.weight = String(weight);
    } else if (kratosRegisteredWeightKey in metadata) {
      const registered = metadata[kratosRegisteredWeightKey];
      delete metadata[kratosRegisteredWeightKey];
      if (registered) metadata.weight = registered;
      else delete metadata.weight;
    }
    const { succeeded } = await client
      .if(instance.key, "Mod", "==", kv.mod_revision)
      .then(
        client
          .put(instance.key)
          .value(JSON.stringify({ ...value, metadata }))
          .ignoreLease(),
      )
      .commit();
    if (succeeded) return;
  }
  throw new AppError("conflict", `${instance.instanceId}: its registration kept changing in etcd; try again`, "selector");
}

/** Writes an operator's choice where the convention's clients read it; what has no native field goes under the Meshdeck prefix. */
export async function writeEtcdOverride(
  client: Etcd3,
  convention: TEtcdConvention,
  instance: TSourceInstance,
  override: TSourceOverride,
  { onlyIfRewritten = false }: { onlyIfRewritten?: boolean } = {},
) {
  const nativeWeight = convention === "kratos";
  if (nativeWeight) await writeKratosWeight(client, instance, kratosWeightOf(override), onlyIfRewritten);
  const rest = {
    ...(nativeWeight || override.weight === null ? {} : { weight: override.weight }),
    ...(override.enabled === null ? {} : { enabled: override.enabled }),
  };
  if (Object.keys(rest).length > 0) await client.put(overrideKey(instance)).value(JSON.stringify(rest)).exec();
  else await client.delete().key(overrideKey(instance)).exec();
}
