import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { encodeBackendMap } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import type { TDataPlaneInput } from "./schemas";
import type { TBackendMap, TDataPlaneKind, THealthMode } from "./types";

/** What the audit log keeps of a data plane's settings. */
function auditedSettings(input: { kind: TDataPlaneKind; address: string; backends: TBackendMap; healthMode: THealthMode; enabled: boolean }) {
  return { kind: input.kind, address: input.address, backends: input.backends, healthMode: input.healthMode, enabled: input.enabled };
}

function columnsOf(input: TDataPlaneInput) {
  return { kind: input.kind, address: input.address, backends: encodeBackendMap(input.backends), healthMode: input.healthMode, enabled: input.enabled };
}

export async function createDataPlane({ actor, input }: { actor: TActor; input: TDataPlaneInput }) {
  return transaction(async (tx) => {
    if (await tx.dataPlane.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("conflict", `a data plane named '${input.name}' exists already`, "name");
    }
    const plane = await tx.dataPlane.create({ data: { name: input.name, ...columnsOf(input), createdBy: actor.name }, select: { id: true, name: true } });
    await recordAudit(tx, { actor, action: "dataplane.create", target: `dataplane/${input.name}`, after: auditedSettings(input) });
    return plane;
  });
}

/** Changes a data plane's settings; the collector driving it starts over with them. */
export async function updateDataPlane({ actor, name, input }: { actor: TActor; name: string; input: TDataPlaneInput }) {
  await transaction(async (tx) => {
    const current = await tx.dataPlane.findUnique({ where: { name } });
    if (!current) throw new AppError("not_found", `no data plane named '${name}'`, "name");
    if (input.name !== name) throw new AppError("validation_failed", "a data plane keeps its name", "name");
    await tx.dataPlane.update({ where: { name }, data: { ...columnsOf(input), status: "pending", error: null } });
    await recordAudit(tx, { actor, action: "dataplane.update", target: `dataplane/${name}`, before: auditedSettings(current), after: auditedSettings(input) });
  });
}

/** Stops driving the proxy; its servers stay as they are (HAProxy keeps routing to them). */
export async function deleteDataPlane({ actor, name }: { actor: TActor; name: string }) {
  await transaction(async (tx) => {
    const current = await tx.dataPlane.findUnique({ where: { name } });
    if (!current) throw new AppError("not_found", `no data plane named '${name}'`, "name");
    await tx.dataPlane.delete({ where: { name } });
    await recordAudit(tx, { actor, action: "dataplane.delete", target: `dataplane/${name}`, before: auditedSettings(current) });
  });
}
