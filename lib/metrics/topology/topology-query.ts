import "server-only";
import { takesTraffic, trafficSelect, trafficState } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { groupBy } from "@/lib/group-by";
import { countHealth } from "@/lib/registry/instance-view";
import { focusAround } from "./topology-focus";
import { collapseAbove, groupTopology } from "./topology-groups";
import { topologyLimits } from "./topology-limits";
import { instanceKey, readHealthAt, serviceHealth } from "./topology-query-health";
import { goldenSignals, readWindowSignals } from "./topology-query-window";
import type { TTopology, TTopologyEdge, TTopologyGrouping, TTopologyNode } from "../views";

export type TTopologyQuery = {
  /** The moment to show, in ms; now when left out. */
  at?: number;
  windowMs?: number;
  /** Only services whose name holds this, ignoring case. */
  q?: string;
  /** Only services with an instance tagged so. */
  tag?: string;
  /** Only this service and the services within `hops` calls of it (1 by default), and the edges walked to them. */
  service?: string;
  hops?: number;
  /** How services group; groups collapse above the size a screen holds, but those in `expand`. */
  group?: TTopologyGrouping;
  expand?: string[];
  now?: number;
};

/** The services a caller says it calls: its `dependencies` metadata, comma separated. */
function declaredCallees(metadata: Record<string, string>): string[] {
  const { dependencies } = metadata;
  return dependencies !== undefined
    ? dependencies
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean)
    : [];
}

async function readCatalog({ at, past }: { at: number; past: boolean }) {
  // In the past, what was registered by then; instances deregistered since are not known any more.
  const registeredBy = past ? { lte: new Date(at) } : undefined;
  // Two flat reads joined here: a nested read binds one parameter per service, past SQLite's 999 at fleet size.
  const [services, instances] = await Promise.all([
    db.service.findMany({ where: { createdAt: registeredBy }, orderBy: { name: "asc" }, select: { id: true, name: true }, take: topologyLimits.services + 1 }),
    db.instance.findMany({
      where: { registeredAt: registeredBy },
      select: { ...trafficSelect, serviceId: true, source: true, instanceId: true, tags: true, metadata: true },
    }),
  ]);
  const byService = groupBy(instances, (row) => row.serviceId);
  const omitted = services.length > topologyLimits.services ? (await db.service.count({ where: { createdAt: registeredBy } })) - topologyLimits.services : 0;
  return { omitted, services: services.slice(0, topologyLimits.services).map(({ id, name }) => ({ name, instances: byService.get(id) ?? [] })) };
}

// An edge's or a callee's name the catalog does not hold: drawn, so a dependency outside the registry shows.
function unregisteredNode(id: string): TTopologyNode {
  const signals = { rps: null, errorRate: null, p50: null, p95: null, p99: null };
  return {
    id,
    kind: "service",
    group: null,
    health: "unknown",
    instances: countHealth([]),
    tags: [],
    namespace: null,
    registered: false,
    members: [],
    ...signals,
  };
}

// Kubernetes' word, as service meshes carry it in metadata: the first instance that says wins.
function namespaceOf(instances: { metadata: Record<string, string> }[]): string | null {
  for (const { metadata } of instances) if (metadata.namespace) return metadata.namespace;
  return null;
}

/** Which nodes and edges the filters keep; an unknown `service` is a 404 rather than an empty graph. */
function applyFilters({
  nodes,
  edges,
  q,
  tag,
  service,
  hops,
}: {
  nodes: TTopologyNode[];
  edges: TTopologyEdge[];
  q?: string;
  tag?: string;
  service?: string;
  hops: number;
}) {
  const needle = q?.trim().toLowerCase();
  let kept = nodes.filter((node) => (!needle || node.id.toLowerCase().includes(needle)) && (!tag || node.tags.includes(tag)));
  let candidates = edges;
  if (service) {
    if (!nodes.some((node) => node.id === service)) throw new AppError("not_found", `service '${service}' is not in the topology at that moment`, "service");
    const around = focusAround({ nodes, edges, service, hops });
    const ids = new Set(around.nodes.map((node) => node.id));
    kept = kept.filter((node) => ids.has(node.id));
    candidates = around.edges;
  }
  const ids = new Set(kept.map((node) => node.id));
  return { nodes: kept, edges: candidates.filter((edge) => ids.has(edge.caller) && ids.has(edge.callee)) };
}

/** The busiest edges up to the bound, then nodes up to theirs (the catalog's first, then callees outside it). */
function applyLimits({ nodes, edges }: { nodes: TTopologyNode[]; edges: TTopologyEdge[] }) {
  const busiest = [...edges].sort((a, b) => (b.rps ?? -1) - (a.rps ?? -1) || Number(b.declared) - Number(a.declared));
  const keptNodes = nodes.slice(0, topologyLimits.services);
  const ids = new Set(keptNodes.map((node) => node.id));
  const keptEdges = busiest.filter((edge) => ids.has(edge.caller) && ids.has(edge.callee)).slice(0, topologyLimits.edges);
  return { nodes: keptNodes, edges: keptEdges, omitted: { services: nodes.length - keptNodes.length, edges: edges.length - keptEdges.length } };
}

/**
 * The fleet as a graph at `at` (now by default): every service with its instances' health then, and
 * its callers -> callees, observed in the window's edge rollups or declared in metadata, each with
 * its rate, error share and latency over the window before `at`; filtered, focused, bounded, then grouped.
 */
export async function getTopology({
  at,
  windowMs = 60_000,
  q,
  tag,
  service,
  hops = 1,
  group = "namespace",
  expand = [],
  now = Date.now(),
}: TTopologyQuery = {}): Promise<TTopology> {
  const moment = at ?? now;
  const past = moment < now;
  const [catalog, signals, healthThen] = await Promise.all([
    readCatalog({ at: moment, past }),
    readWindowSignals({ at: moment, windowMs, now, retainMs: metricsRetainMs(getEnv()) }),
    past ? readHealthAt({ at: moment }) : new Map<string, string>(),
  ]);
  const { measuredMs } = signals.window;

  const nodes = new Map<string, TTopologyNode>();
  const edges = new Map<string, TTopologyEdge>();
  const edgeId = (caller: string, callee: string) => `${caller}->${callee}`;
  const edgeOf = (caller: string, callee: string): TTopologyEdge => {
    const id = edgeId(caller, callee);
    let edge = edges.get(id);
    const signals = { rps: null, errorRate: null, p50: null, p95: null, p99: null };
    if (!edge) edges.set(id, (edge = { id, caller, callee, declared: false, observed: false, members: 1, ...signals }));
    return edge;
  };

  for (const { name, instances } of catalog.services) {
    const members = instances.map((instance) => {
      const health = healthThen.get(instanceKey({ service: name, ...instance })) ?? instance.health;
      return { health, takesTraffic: takesTraffic(trafficState({ ...instance, health })) };
    });
    const tags = [...new Set(instances.flatMap((instance) => instance.tags))].sort();
    nodes.set(name, {
      id: name,
      kind: "service",
      group: null,
      health: serviceHealth(members),
      instances: countHealth(members),
      tags,
      namespace: namespaceOf(instances),
      registered: true,
      members: [],
      ...goldenSignals(signals.services.get(name), measuredMs),
    });
    for (const callee of new Set(instances.flatMap((instance) => declaredCallees(instance.metadata)))) edgeOf(name, callee).declared = true;
  }
  for (const { caller, callee, signals: observed } of signals.edges.values()) {
    const traffic = observed.requests > 0;
    // A client metric that did not move in the window is no traffic: such an edge stays only if declared.
    if (!traffic && !edges.has(edgeId(caller, callee))) continue;
    Object.assign(edgeOf(caller, callee), { observed: traffic, ...goldenSignals(observed, measuredMs) });
  }
  for (const { caller, callee } of edges.values()) {
    for (const name of [caller, callee]) if (!nodes.has(name)) nodes.set(name, unregisteredNode(name));
  }

  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // The catalog's services first, so callees outside it are the ones a bound leaves out.
  const ordered = [...nodes.values()].sort((a, b) => Number(b.registered) - Number(a.registered) || byId(a, b));
  const bounded = applyLimits({ nodes: ordered, edges: [...edges.values()] });
  const shown = applyFilters({ nodes: bounded.nodes.sort(byId), edges: bounded.edges.sort(byId), q, tag, service, hops });
  const grouped = groupTopology({ ...shown, by: group, expanded: expand, keepOpen: service ? [service] : [] });
  return {
    at: moment,
    windowMs,
    metrics: signals.window,
    shape: {
      by: group,
      collapsed: grouped.collapsed,
      collapseAbove,
      expanded: expand,
      focus: service ? { service, hops } : null,
      omitted: { services: catalog.omitted + bounded.omitted.services, edges: bounded.omitted.edges },
    },
    nodes: grouped.nodes,
    edges: grouped.edges,
  };
}
