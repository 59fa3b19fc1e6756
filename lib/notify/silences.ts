import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Db, type Tx } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";
import { transaction } from "@/lib/db/transaction";
import { ZDuration } from "@/lib/duration";
import { AppError } from "@/lib/errors";
import { plainTextCheck } from "@/lib/plain-text";
import { ZInstanceId } from "@/lib/registry/schemas";

// A silence lasts at least a minute and at most 30 days: past that, retire the service instead.
const maxSilenceMs = 30 * 86_400_000;

export const ZCreateSilence = z.strictObject({
  instanceId: ZInstanceId.optional(),
  duration: ZDuration.pipe(z.number().min(60_000, "must be at least 1m").max(maxSilenceMs, "must be at most 30d")),
  reason: z.string().trim().min(1, "say why notifications are held").max(500, "must be at most 500 characters").check(plainTextCheck()),
});
export type TCreateSilence = z.input<typeof ZCreateSilence>;

const activeWhere = (now: Date) => ({ liftedAt: null, startsAt: { lte: now }, endsAt: { gt: now } });
const silenceSelect = { id: true, service: true, instanceId: true, reason: true, startsAt: true, endsAt: true, createdBy: true } as const;

/** Holds notifications for a service, or one of its instances, for a while; audited. */
export async function createSilence({
  actor,
  service,
  input,
  now = new Date(),
}: {
  actor: TActor;
  service: string;
  input: z.output<typeof ZCreateSilence>;
  now?: Date;
}) {
  return transaction(async (tx) => {
    const found = await tx.service.findUnique({ where: { name: service }, select: { id: true } });
    if (!found) throw new AppError("not_found", `service '${service}' is not registered`, "name");
    if (input.instanceId) {
      const instance = await tx.instance.findFirst({ where: { serviceId: found.id, instanceId: input.instanceId }, select: { id: true } });
      if (!instance) throw new AppError("not_found", `no instance '${input.instanceId}' in service '${service}'`, "instanceId");
    }
    const silence = await tx.silence.create({
      data: {
        service,
        instanceId: input.instanceId ?? null,
        reason: input.reason,
        startsAt: now,
        endsAt: new Date(now.getTime() + input.duration),
        createdBy: actor.name,
      },
      select: silenceSelect,
    });
    await recordAudit(tx, {
      actor,
      action: "silence.create",
      target: `silence/${silence.id}`,
      service,
      after: { instanceId: silence.instanceId, endsAt: silence.endsAt.toISOString() },
      reason: input.reason,
    });
    return toView(silence);
  });
}

/** Ends a silence early; audited. A silence already over is a 404 like one that never was. */
export async function liftSilence({ actor, id, now = new Date() }: { actor: TActor; id: string; now?: Date }) {
  await transaction(async (tx) => {
    const silence = await tx.silence.findFirst({ where: { id, ...activeWhere(now) }, select: silenceSelect });
    if (!silence) throw new AppError("not_found", "no such silence in force", "id");
    await tx.silence.update({ where: { id }, data: { liftedAt: now, liftedBy: actor.name } });
    await recordAudit(tx, {
      actor,
      action: "silence.lift",
      target: `silence/${id}`,
      service: silence.service,
      before: { instanceId: silence.instanceId, endsAt: silence.endsAt.toISOString(), reason: silence.reason },
    });
  });
}

type TSilenceRow = { id: string; service: string; instanceId: string | null; reason: string; startsAt: Date; endsAt: Date; createdBy: string };
const toView = (row: TSilenceRow) => ({ ...row, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() });
export type TSilenceView = ReturnType<typeof toView>;

// Silences in force on one service: an operator makes a few, never thousands; the page shows the first ones.
const listCap = 50;

/** The silences in force on a service, the soonest to end first. */
export async function listSilences({ service, now = new Date() }: { service: string; now?: Date }): Promise<TSilenceView[]> {
  const rows = await db.silence.findMany({ where: { service, ...activeWhere(now) }, orderBy: { endsAt: "asc" }, take: listCap, select: silenceSelect });
  return rows.map(toView);
}

/** Whether notifications about this service (or this instance of it) are held at `at`: one indexed read. */
export async function isSilenced(tx: Db | Tx, { service, instanceId, at }: { service: string; instanceId: string | null; at: Date }): Promise<boolean> {
  const instanceMatch = instanceId === null ? [{ instanceId: null }] : [{ instanceId: null }, { instanceId }];
  const found = await tx.silence.findFirst({ where: { service, ...activeWhere(at), OR: instanceMatch }, select: { id: true } });
  return found !== null;
}

/**
 * What is silenced among some services (a page of incidents or events): per service, the whole service (`"*"`) or
 * the instances named. Reads only the silences in force on those services, in chunks.
 */
export async function findSilenced({ services, now = new Date() }: { services: string[]; now?: Date }): Promise<Map<string, Set<string>>> {
  const silenced = new Map<string, Set<string>>();
  for (const chunk of chunked([...new Set(services)])) {
    const rows = await db.silence.findMany({ where: { service: { in: chunk }, ...activeWhere(now) }, select: { service: true, instanceId: true } });
    for (const row of rows) silenced.set(row.service, (silenced.get(row.service) ?? new Set()).add(row.instanceId ?? "*"));
  }
  return silenced;
}

/** Whether the finding of `findSilenced` covers this service or instance. */
export function coveredBy(silenced: Map<string, Set<string>>, { service, instanceId }: { service: string; instanceId: string | null }): boolean {
  const held = silenced.get(service);
  return held !== undefined && (held.has("*") || (instanceId !== null && held.has(instanceId)));
}
