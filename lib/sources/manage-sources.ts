import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { catalogChangeInSteps } from "@/lib/catalog/catalog-change";
import { trafficSelect } from "@/lib/catalog/traffic-state";
import { db, type Tx } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";
import { encodeSourceTls, encodeStringList } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { removeInstances, stepSize } from "./apply-source-change";
import { sourcesOverlap } from "./overlap";
import type { TSourceInput } from "./schemas";
import { sealColumn } from "@/lib/crypto/sealed-columns";

/** What the audit log keeps of a source's settings: never its password or key. */
function auditedSettings(input: TSourceInput) {
  return {
    kind: input.kind,
    convention: input.convention,
    endpoints: input.endpoints,
    prefix: input.prefix,
    username: input.username ?? null,
    tls: input.tls ? "set" : null,
    enabled: input.enabled,
  };
}

function columnsOf(input: TSourceInput) {
  return {
    kind: input.kind,
    convention: input.convention,
    endpoints: encodeStringList(input.endpoints),
    prefix: input.prefix,
    username: input.username || null,
    password: sealColumn(input.password || null),
    tls: sealColumn(encodeSourceTls(input.tls)),
    enabled: input.enabled,
  };
}

/** 422 when another source of the kind reads the same keys: its instances would be listed twice. */
async function refuseOverlap(tx: Tx, input: TSourceInput) {
  const others = await tx.source.findMany({
    where: { kind: input.kind, name: { not: input.name } },
    select: { name: true, kind: true, endpoints: true, prefix: true },
  });
  const overlapping = others.find((other) => sourcesOverlap(input, other));
  if (overlapping) {
    throw new AppError(
      "validation_failed",
      `source '${overlapping.name}' reads ${overlapping.prefix} on the same ${input.kind}: one prefix is inside the other, so every instance would be listed twice`,
      "prefix",
    );
  }
}

export async function createSource({ actor, input }: { actor: TActor; input: TSourceInput }) {
  return transaction(async (tx) => {
    if (await tx.source.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("conflict", `a source named '${input.name}' exists already`, "name");
    }
    await refuseOverlap(tx, input);
    const source = await tx.source.create({ data: { name: input.name, ...columnsOf(input), createdBy: actor.name }, select: { id: true, name: true } });
    await recordAudit(tx, { actor, action: "source.create", target: `source/${input.name}`, after: auditedSettings(input) });
    return source;
  });
}

/** Changes a source's settings; its collector starts it over. A password left out keeps the stored one. */
export async function updateSource({ actor, name, input }: { actor: TActor; name: string; input: TSourceInput }) {
  return transaction(async (tx) => {
    const current = await tx.source.findUnique({ where: { name } });
    if (!current) throw new AppError("not_found", `no source named '${name}'`, "name");
    if (input.name !== name) throw new AppError("validation_failed", "a source keeps its name: its instances are known by it", "name");
    await refuseOverlap(tx, input);
    const columns = columnsOf(input);
    // A Consul ACL token, like a password, left out keeps the stored one.
    const keep = (Boolean(input.username) || input.kind === "consul") && !input.password;
    const kept = { password: keep ? sealColumn(current.password) : columns.password };
    if (input.username && !kept.password) throw new AppError("validation_failed", "give the password for the username", "password");
    await tx.source.update({ where: { name }, data: { ...columns, ...kept, status: "pending", error: null } });
    const before = {
      kind: current.kind,
      convention: current.convention,
      endpoints: current.endpoints,
      prefix: current.prefix,
      username: current.username,
      tls: current.tls ? "set" : null,
      enabled: current.enabled,
    };
    await recordAudit(tx, { actor, action: "source.update", target: `source/${name}`, before, after: auditedSettings(input) });
  });
}

/** Removes a source and the instances Meshdeck knew from it (the registry itself is not touched). */
export async function deleteSource({ actor, name }: { actor: TActor; name: string }) {
  // The source goes first, with its audit record: its collector's fence then refuses any further sync of it.
  await transaction(async (tx) => {
    const current = await tx.source.findUnique({ where: { name }, select: { id: true, kind: true, convention: true, endpoints: true, prefix: true } });
    if (!current) throw new AppError("not_found", `no source named '${name}'`, "name");
    await tx.source.delete({ where: { name } });
    await tx.instanceOverride.deleteMany({ where: { source: name } });
    await recordAudit(tx, { actor, action: "source.delete", target: `source/${name}`, before: { ...current, id: undefined } });
  });
  // Then its instances, in short steps telling one story: thousands of them are one failover event per service.
  const seenAt = Date.now();
  const rows = await db.instance.findMany({
    where: { source: name },
    select: { ...trafficSelect, id: true, instanceId: true, service: { select: { id: true, name: true } } },
  });
  await catalogChangeInSteps(chunked(rows, stepSize), (tx, change, part) =>
    removeInstances(tx, change, { source: name, rows: part.map((row) => ({ ...row, cause: "source removed" as const, seenAt })) }),
  );
}

/** Pauses or resumes a source; a paused one keeps its instances as last seen until resumed or removed. */
export async function setSourceEnabled({ actor, name, enabled }: { actor: TActor; name: string; enabled: boolean }) {
  await transaction(async (tx) => {
    const current = await tx.source.findUnique({ where: { name }, select: { enabled: true } });
    if (!current) throw new AppError("not_found", `no source named '${name}'`, "name");
    await tx.source.update({ where: { name }, data: { enabled, status: "pending", error: null } });
    await recordAudit(tx, {
      actor,
      action: enabled ? "source.resume" : "source.pause",
      target: `source/${name}`,
      before: { enabled: current.enabled },
      after: { enabled },
    });
  });
}
