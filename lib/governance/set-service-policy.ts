import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { AppError } from "@/lib/errors";
import type { TSetServicePolicy } from "./schemas";

/** Sets a service's load-balancing policy (and hash header, protection threshold), audited; the gateway follows at once. */
export async function setServicePolicy({ actor, name, input }: { actor: TActor; name: string; input: TSetServicePolicy }) {
  assertPermission({ actor, permission: "governance.change", service: name });
  return catalogChange(async (tx, change) => {
    const index = await change.index();
    const service = await tx.service.findUnique({
      where: { name },
      select: { id: true, policy: true, hashHeader: true, protectionThreshold: true, governanceVersion: true },
    });
    if (!service) throw new AppError("not_found", `service '${name}' is not registered`, "name");
    if (input.expectedVersion !== undefined && input.expectedVersion !== service.governanceVersion) {
      throw new AppError("conflict", `${name}'s policy was changed by someone else meanwhile; look at its current settings and try again`, "expectedVersion");
    }
    const after = {
      policy: input.policy,
      hashHeader: input.policy === "consistent-hash" ? (input.hashHeader ?? null) : null,
      protectionThreshold: input.protectionThreshold ?? service.protectionThreshold,
    };
    const updated = await tx.service.update({
      where: { id: service.id },
      data: { ...after, modifyIndex: index, governanceVersion: { increment: 1 } },
      select: { governanceVersion: true },
    });
    change.touched(name);
    await recordAudit(tx, {
      actor,
      action: "service.policy",
      target: `service/${name}`,
      service: name,
      before: { policy: service.policy, hashHeader: service.hashHeader, protectionThreshold: service.protectionThreshold },
      after,
      reason: input.reason || undefined,
    });
    return { service: name, ...after, version: updated.governanceVersion };
  });
}
