import "server-only";
import { db } from "@/lib/db";
import { pageSize } from "@/lib/pagination/cursor";
import { pageOf, skipTake, type TNumberedPage } from "@/lib/pagination/numbered";

type TSourceRow = NonNullable<Awaited<ReturnType<typeof db.source.findUnique>>>;

/** A source and its state, as anyone signed in may see it: no password, no key. */
function toSourceView(row: TSourceRow) {
  return {
    name: row.name,
    kind: row.kind,
    convention: row.convention,
    endpoints: row.endpoints,
    prefix: row.prefix,
    username: row.username,
    hasPassword: row.password !== null,
    tls: row.tls !== null,
    enabled: row.enabled,
    status: row.enabled ? row.status : "disabled",
    error: row.error,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    lagMs: row.lagMs,
    staleSince: row.staleSince?.toISOString() ?? null,
    instances: row.instances,
    // Keys or nodes left out, or read in part, with the latest few reasons: bounded whatever the registry holds.
    skipped: { count: row.skipped, recent: row.skipReasons },
    syncedBy: row.ownerUntil && row.ownerUntil.getTime() > Date.now() ? row.owner : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A page of sources by name, and the built-in registry's instance count. */
export async function listSources(paged: TNumberedPage = { page: 1, limit: pageSize }) {
  const [total, rows, builtin] = await Promise.all([
    db.source.count(),
    db.source.findMany({ orderBy: { name: "asc" }, ...skipTake(paged) }),
    db.instance.count({ where: { source: "builtin" } }),
  ]);
  return { builtin: { name: "builtin", kind: "builtin", instances: builtin }, sources: rows.map(toSourceView), ...pageOf(total, paged) };
}

/** One source's view, or null when there is none by that name. */
export async function getSourceView(name: string) {
  const row = await db.source.findUnique({ where: { name } });
  return row ? toSourceView(row) : null;
}

export type TSourceView = ReturnType<typeof toSourceView>;
