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

export type TDrivenBackend = { dataPlane: string; kind: string; backend: string };

/** Per service, the proxy backends that data planes drive for it, as their drivers last found them (for previews). */
export async function listDrivenBackends({ services }: { services: readonly string[] }): Promise<Map<string, TDrivenBackend[]>> {
  const wanted = new Set(services);
  const planes = await db.dataPlane.findMany({ where: { enabled: true }, select: { name: true, kind: true, drivenBackends: true }, take: listLimit });
  const driven = new Map<string, TDrivenBackend[]>();
  for (const plane of planes) {
    for (const [service, backend] of plane.drivenBackends) {
      if (!wanted.has(service)) continue;
      driven.set(service, [...(driven.get(service) ?? []), { dataPlane: plane.name, kind: plane.kind, backend }]);
    }
  }
  return driven;
}
