// The topology query's server time on a fleet of 300 services and about 1000 edges, as the collector
// leaves its rollups (issue 4's target: under 200 ms). Seeds the database DATABASE_URL names: give it a fresh one.
import { performance } from "node:perf_hooks";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { getTopology } from "@/lib/metrics/topology/topology-query";
import { percentile } from "../shared/report";
import { seedMetrics } from "./seed";

export const topologyFleet = { services: 300, instancesPerService: 3, edgesPerService: 4, hours: 1 };

export async function benchTopologyQuery({ runs = 100, warmup = 10 }: { runs?: number; warmup?: number } = {}): Promise<{
  p50Ms: number;
  p99Ms: number;
  runs: number;
  services: number;
  edges: number;
}> {
  await migrateDatabase();
  // Another fleet in the same database would make the graph, and the timings, something else.
  if ((await db.service.count()) > 0) throw new Error("benchTopologyQuery needs an empty database: point DATABASE_URL at a fresh one");
  const seeded = await seedMetrics(topologyFleet);
  const times: number[] = [];
  let edges = 0;
  for (let run = 0; run < warmup + runs; run += 1) {
    const started = performance.now();
    // Ungrouped, every service and edge: the default groups by namespace, else name prefix: the seeded fleet is one node.
    const topology = await getTopology({ group: "none" });
    const ms = performance.now() - started;
    if (run < warmup) continue;
    times.push(ms);
    edges = topology.edges.length;
  }
  return { p50Ms: percentile(times, 50) ?? 0, p99Ms: percentile(times, 99) ?? 0, runs, services: seeded.services.length, edges };
}
