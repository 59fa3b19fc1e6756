import "server-only";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { encodeStringList, encodeStringMap } from "@/lib/db/codecs";
import { AppError } from "@/lib/errors";
import { forgetInstance, trackInstance } from "./beat-state";
import type { TRegisterInstance } from "./schemas";

const source = "builtin";

/**
 * Registers or re-registers an instance of the built-in registry. Operator overrides (weight,
 * enabled) are kept across re-registrations and restarts (they live in InstanceOverride); a TTL
 * instance counts its registration as a heartbeat.
 */
export async function registerInstance({ input }: { input: TRegisterInstance }) {
  const { check } = input;
  const isTtl = check.kind === "ttl";
  const now = new Date();
  const result = await catalogChange(async (tx, change) => {
    // The counter row is locked first, so concurrent registrations of one id take turns.
    const index = await change.index();
    const existing = await tx.instance.findUnique({
      where: { source_instanceId: { source, instanceId: input.id } },
      select: { ...trafficSelect, id: true, checkKind: true, service: { select: { name: true } } },
    });
    if (existing && existing.service.name !== input.service) {
      throw new AppError("conflict", `instance id '${input.id}' is already registered to service '${existing.service.name}'`, "id");
    }
    // An operator's override outlives the instance: one that deregistered and came back gets it again.
    const override = await tx.instanceOverride.findUnique({
      where: { source_instanceId: { source, instanceId: input.id } },
      select: { service: true, weight: true, enabled: true },
    });
    const kept = override?.service === input.service ? override : null;
    const service = await tx.service.upsert({
      where: { name: input.service },
      create: { name: input.service, source, modifyIndex: index },
      update: { modifyIndex: index },
      select: { id: true },
    });
    change.touched(input.service);
    const fields = {
      host: input.host,
      port: input.port,
      weight: input.weight,
      weightOverride: kept?.weight ?? null,
      enabledOverride: kept?.enabled ?? null,
      tags: encodeStringList(input.tags),
      metadata: encodeStringMap(input.metadata),
      checkKind: check.kind,
      checkPath: check.kind === "http" ? check.path : null,
      checkIntervalMs: check.kind === "ttl" ? 1000 : check.interval,
      checkTimeoutMs: check.kind === "ttl" ? 800 : check.timeout,
      checkTtlMs: check.kind === "ttl" ? check.ttl : 3000,
      checkRise: check.kind === "ttl" ? 1 : check.rise,
      checkFall: check.kind === "ttl" ? 1 : check.fall,
      deregisterAfterMs: check.deregisterAfter,
      metricsPath: input.metrics?.path ?? null,
      metricsPort: input.metrics?.port ?? null,
      lastHeartbeatAt: isTtl ? now : null,
      lastSuccessAt: isTtl ? now : null,
      modifyIndex: index,
    };
    const before = existing?.health ?? "unknown";
    // A new kind of check has to prove itself before the instance takes traffic again.
    const health = isTtl ? "passing" : existing?.checkKind === check.kind ? before : "unknown";
    const instance = await tx.instance.upsert({
      where: { source_instanceId: { source, instanceId: input.id } },
      create: { ...fields, serviceId: service.id, source, instanceId: input.id, health, healthOutput: "registered" },
      update: { ...fields, health, ...(health !== before ? { healthChangedAt: now, healthOutput: "re-registered" } : {}) },
    });
    const reason = existing ? "re-registered" : "registered";
    if (health !== before || !existing) {
      await tx.healthEvent.create({ data: { service: input.service, source, instanceId: input.id, from: before, to: health, reason, at: now } });
    }
    await change.traffic({
      serviceId: service.id,
      service: input.service,
      instanceId: input.id,
      before: existing ? trafficState(existing) : null,
      after: trafficState(instance),
      reason,
      at: now,
    });
    return { instance, created: !existing };
  });
  if (isTtl) {
    trackInstance({
      instanceId: input.id,
      id: result.instance.id,
      ttlMs: check.ttl,
      deregisterAfterMs: check.deregisterAfter,
      health: result.instance.health,
      lastBeatAt: now.getTime(),
    });
  } else {
    forgetInstance(input.id);
  }
  return result;
}

export async function deregisterInstance({ instanceId, reason = "deregistered" }: { instanceId: string; reason?: string }) {
  await catalogChange(async (tx, change) => {
    const instance = await tx.instance.findUnique({
      where: { source_instanceId: { source, instanceId } },
      select: { ...trafficSelect, id: true, service: { select: { id: true, name: true } } },
    });
    if (!instance) throw new AppError("not_found", `instance '${instanceId}' is not registered`, "id");
    const index = await change.index();
    await tx.instance.delete({ where: { id: instance.id } });
    await tx.service.update({ where: { id: instance.service.id }, data: { modifyIndex: index } });
    change.touched(instance.service.name);
    await tx.healthEvent.create({
      data: { service: instance.service.name, source, instanceId, from: instance.health, to: "deregistered", reason },
    });
    await change.traffic({
      serviceId: instance.service.id,
      service: instance.service.name,
      instanceId,
      before: trafficState(instance),
      after: null,
      reason,
    });
  });
  forgetInstance(instanceId);
}
