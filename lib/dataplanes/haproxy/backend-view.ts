import "server-only";
import { groupBy } from "@/lib/group-by";
import { getCatalogSnapshot } from "../catalog-snapshot";
import { mapBackends } from "../map-backends";
import type { TBackendMap, THealthMode } from "../types";
import { compareServers, type TServerComparison } from "./compare-servers";
import { parseBackends, parseStat } from "./parse";
import { desiredServers } from "./plan";
import { runCommands } from "./runtime-api";

// A page shows this many backends, and this many servers of each (differing ones first); counts say how many more.
const maxBackends = 50;
const maxServers = 100;

export type TBackendView = { service: string; backend: string; servers: TServerComparison[]; total: number; differing: number };

export type THaproxyView = { reachable: false; error: string } | { reachable: true; backends: TBackendView[]; totalBackends: number; missing: string[] };

/** HAProxy's own view of each mapped backend, read live from its Runtime API, beside Meshdeck's. */
export async function getHaproxyView({
  address,
  backends,
  healthMode,
}: {
  address: string;
  backends: TBackendMap;
  healthMode: THealthMode;
}): Promise<THaproxyView> {
  const snapshot = await getCatalogSnapshot();
  let answers: string[];
  try {
    // Servers only (type 4) of every proxy: one line each.
    answers = await runCommands({ address, commands: ["show backend", "show stat -1 4 -1"], timeoutMs: 2000 });
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
  const { mapped, missing } = mapBackends({ backends, proxyBackends: parseBackends(answers[0]!), services: snapshot.services.keys() });
  const stats = groupBy(parseStat(answers[1]!), (stat) => stat.backend);
  const views = mapped.slice(0, maxBackends).map(({ service, backend }): TBackendView => {
    const rows = compareServers({ desired: desiredServers(snapshot.services.get(service) ?? []).servers, stats: stats.get(backend) ?? [], mode: healthMode });
    return { service, backend, servers: rows.slice(0, maxServers), total: rows.length, differing: rows.filter((row) => row.differences.length > 0).length };
  });
  return { reachable: true, backends: views, totalBackends: mapped.length, missing };
}
