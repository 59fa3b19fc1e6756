import "server-only";
import { db } from "@/lib/db";

const listLimit = 200;

type TDataPlaneRow = Awaited<ReturnType<typeof db.dataPlane.findMany>>[number];

function toView(row: TDataPlaneRow) {
  return {
    name: row.name,
    kind: row.kind,
    address: row.address,
    backends: row.backends,
    healthMode: row.healthMode,
    enabled: row.enabled,
    status: row.enabled ? row.status : "disabled",
    error: row.error,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    staleSince: row.staleSince?.toISOString() ?? null,
    drivenBy: row.ownerUntil && row.ownerUntil.getTime() > Date.now() ? row.owner : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export type TDataPlaneView = ReturnType<typeof toView>;

/** Data planes and their state, as an operator may see them (an administrator adds a handful; bounded all the same). */
export async function listDataPlanes(): Promise<TDataPlaneView[]> {
  return (await db.dataPlane.findMany({ orderBy: { name: "asc" }, take: listLimit })).map(toView);
}

export async function getDataPlane({ name }: { name: string }): Promise<TDataPlaneView | undefined> {
  const row = await db.dataPlane.findUnique({ where: { name } });
  return row ? toView(row) : undefined;
}
