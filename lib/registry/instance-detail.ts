import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { LISTENER_LIVE_MS } from "@/lib/config/watch/listener-book";
import { getInstance, getServiceOrThrow } from "./service-detail";

// The config items one instance watches are few; a bound all the same, as ids are the client's to choose.
export const heldConfigShown = 50;

/** One instance of a service for its own page: the service's header (for governance), the instance, the config it holds. */
export async function getServiceInstanceOrThrow({ name, instanceId, now = Date.now() }: { name: string; instanceId: string; now?: number }) {
  // limit 1: the service's counts and version only; the instance is read on its own below.
  const detail = await getServiceOrThrow({ name, query: { limit: 1 } });
  const service = await db.service.findUnique({ where: { name }, select: { id: true } });
  // serviceId is indexed: at most one service's instances are read, and one source usually holds the id.
  const row = service && (await db.instance.findFirst({ where: { serviceId: service.id, instanceId }, orderBy: { source: "asc" }, select: { source: true } }));
  const instance = row ? await getInstance({ source: row.source, instanceId }) : null;
  if (!instance) throw new AppError("not_found", `instance '${instanceId}' of '${name}' is not registered`, "id");
  const held = await db.configListener.findMany({
    where: { instanceId, lastSeenAt: { gte: new Date(now - LISTENER_LIVE_MS) } },
    orderBy: [{ namespace: "asc" }, { group: "asc" }, { key: "asc" }],
    take: heldConfigShown,
    select: { namespace: true, group: true, key: true, version: true, lastSeenAt: true },
  });
  return {
    service: detail.service,
    instance,
    config: held.map((each) => ({ ...each, lastSeenAt: each.lastSeenAt.toISOString() })),
  };
}

export type TServiceInstanceDetail = Awaited<ReturnType<typeof getServiceInstanceOrThrow>>;
