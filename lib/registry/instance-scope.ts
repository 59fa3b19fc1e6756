import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission, unscoped, type TPermission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";

/**
 * Refuses (403) a token whose `permission` does not reach the service of the built-in instance `instanceId`, for writes
 * that name an instance by id alone (a heartbeat, a deregistration, a re-registration of an id). A token that reaches
 * every service costs nothing; an unknown instance is left to the write, which answers 404.
 */
export async function assertInstanceScope({
  actor,
  instanceId,
  permission = "registry.register",
}: {
  actor: TActor;
  instanceId: string;
  permission?: TPermission;
}) {
  if (unscoped({ actor, permission })) return;
  const row = await db.instance.findUnique({
    where: { source_instanceId: { source: "builtin", instanceId } },
    select: { service: { select: { name: true } } },
  });
  if (row) assertPermission({ actor, permission, service: row.service.name });
}
