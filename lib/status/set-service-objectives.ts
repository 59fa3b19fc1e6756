import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { objectivesOf, type TSetServiceObjectives } from "./objectives";

/** Sets a service's objectives (null: back to the default), audited in the same transaction; the collector judges by them next. */
export async function setServiceObjectives({ actor, name, input }: { actor: TActor; name: string; input: TSetServiceObjectives }) {
  return db.$transaction(async (tx) => {
    const service = await tx.service.findUnique({
      where: { name },
      select: { id: true, errorRateObjective: true, p99ObjectiveMs: true, availabilityObjective: true },
    });
    if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
    const data = {
      ...(input.errorRate !== undefined ? { errorRateObjective: input.errorRate } : {}),
      ...(input.p99Ms !== undefined ? { p99ObjectiveMs: input.p99Ms } : {}),
      ...(input.availability !== undefined ? { availabilityObjective: input.availability } : {}),
    };
    const updated = await tx.service.update({
      where: { id: service.id },
      data,
      select: { errorRateObjective: true, p99ObjectiveMs: true, availabilityObjective: true },
    });
    const [before, after] = [objectivesOf(service), objectivesOf(updated)];
    await recordAudit(tx, { actor, action: "service.objectives", target: `service/${name}`, service: name, before, after, reason: input.reason || undefined });
    return { service: name, objectives: after };
  });
}
