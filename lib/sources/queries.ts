import "server-only";
import { db } from "@/lib/db";

/** Sources and their state, as anyone signed in may see them: no password, no key. */
export async function listSources() {
  const [rows, builtin] = await Promise.all([db.source.findMany({ orderBy: { name: "asc" } }), db.instance.count({ where: { source: "builtin" } })]);
  const sources = rows.map((row) => ({
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
  }));
  return { builtin: { name: "builtin", kind: "builtin", instances: builtin }, sources };
}

export type TSourceView = Awaited<ReturnType<typeof listSources>>["sources"][number];
