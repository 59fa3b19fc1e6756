import "server-only";
import { db } from "@/lib/db";

// A service's page lists the config items of its group; a group rarely holds many, and the page shows at most these.
export const serviceConfigShown = 20;

/** The live config items whose group is the service's name, in every namespace: links from the service to its config. */
export async function listServiceConfig({ service }: { service: string }) {
  const items = await db.configItem.findMany({
    where: { group: service, deletedAt: null, version: { gt: 0 } },
    orderBy: [{ namespace: "asc" }, { key: "asc" }],
    take: serviceConfigShown + 1,
    select: { namespace: true, group: true, key: true, version: true, format: true },
  });
  return { items: items.slice(0, serviceConfigShown), more: items.length > serviceConfigShown };
}

export type TServiceConfig = Awaited<ReturnType<typeof listServiceConfig>>;
