// HAProxy's own view of a backend (`show stat`) beside Meshdeck's: each server, and what differs. Pure.
import type { THealthMode } from "../types";
import type { TServerStat } from "./parse";
import type { TDesiredServer } from "./plan";

export type TServerComparison = {
  server: string;
  instanceId: string | null;
  meshdeck: { weight: number; state: TDesiredServer["state"]; health: TDesiredServer["health"] } | null;
  haproxy: { status: string; weight: number; sessions: number; checkStatus: string } | null;
  /** What differs, in words; empty when HAProxy does what Meshdeck says. */
  differences: string[];
};

function differencesOf(desired: TDesiredServer, stat: TServerStat, mode: THealthMode): string[] {
  const differences: string[] = [];
  if (stat.weight !== desired.weight) differences.push(`weight ${stat.weight} in HAProxy, ${desired.weight} in Meshdeck`);
  // "UP 1/3", "DOWN 1/2": a transition's counts follow the word.
  const status = stat.status.split(" ")[0]!;
  const meshdeck = mode === "meshdeck" && desired.health === "down" ? "DOWN" : desired.state === "drain" ? "DRAIN" : "up";
  const differs =
    status === "MAINT" ||
    (meshdeck === "DOWN" && status !== "DOWN") ||
    // In haproxy mode a server HAProxy's checks find down is its call, not a difference.
    (meshdeck !== "DOWN" && status === "DOWN" && mode === "meshdeck") ||
    (meshdeck === "DRAIN" && !["DRAIN", "DOWN"].includes(status)) ||
    (meshdeck === "up" && ["DRAIN", "NOLB"].includes(status));
  if (differs) differences.push(`${stat.status} in HAProxy, ${meshdeck} in Meshdeck`);
  return differences;
}

/** Servers of one backend, Meshdeck's and HAProxy's, with their differences; differing ones first. */
export function compareServers({
  desired,
  stats,
  mode,
}: {
  desired: readonly TDesiredServer[];
  stats: readonly TServerStat[];
  mode: THealthMode;
}): TServerComparison[] {
  const statByName = new Map(stats.map((stat) => [stat.server, stat]));
  const rows: TServerComparison[] = [];
  for (const server of desired) {
    const stat = statByName.get(server.name);
    statByName.delete(server.name);
    rows.push({
      server: server.name,
      instanceId: server.instanceId,
      meshdeck: { weight: server.weight, state: server.state, health: server.health },
      haproxy: stat ? { status: stat.status, weight: stat.weight, sessions: stat.sessions, checkStatus: stat.checkStatus } : null,
      differences: stat ? differencesOf(server, stat, mode) : ["not in HAProxy"],
    });
  }
  for (const stat of statByName.values()) {
    rows.push({
      server: stat.server,
      instanceId: null,
      meshdeck: null,
      haproxy: { status: stat.status, weight: stat.weight, sessions: stat.sessions, checkStatus: stat.checkStatus },
      differences: ["not in the catalog"],
    });
  }
  return rows.sort((a, b) => Number(b.differences.length > 0) - Number(a.differences.length > 0) || a.server.localeCompare(b.server));
}
