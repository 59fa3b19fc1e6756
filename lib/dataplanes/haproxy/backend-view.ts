import "server-only";
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
  try {
    const [backendText] = await runCommands({ address, commands: ["show backend"], timeoutMs: 2000 });
    const { mapped, missing } = mapBackends({ backends, proxyBackends: parseBackends(backendText!), services: snapshot.services.keys() });
    const shown = mapped.slice(0, maxBackends);
    // Servers only (type 4) of the backends shown: what the page needs, not every proxy's every server.
    const statTexts = shown.length ? await runCommands({ address, commands: shown.map(({ backend }) => `show stat ${backend} 4 -1`), timeoutMs: 2000 }) : [];
    const views = shown.map(({ service, backend }, i): TBackendView => {
      const stats = parseStat(statTexts[i]!).filter((stat) => stat.backend === backend);
      const rows = compareServers({ desired: desiredServers(snapshot.services.get(service) ?? []).servers, stats, mode: healthMode });
      return { service, backend, servers: rows.slice(0, maxServers), total: rows.length, differing: rows.filter((row) => row.differences.length > 0).length };
    });
    return { reachable: true, backends: views, totalBackends: mapped.length, missing };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}
