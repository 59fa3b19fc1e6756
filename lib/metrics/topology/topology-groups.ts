import type { TTopologyEdge, TTopologyGrouping, TTopologyNode } from "../views";

// Above this many services a graph shows its groups collapsed: about what fits legibly on one screen.
export const collapseAbove = 50;
const groupPrefix = "group:";

/** A group node's id; service names hold no ':', so it never meets one. */
export const groupNodeId = (key: string) => `${groupPrefix}${key}`;

/** The first part of a name: `billing` of `billing-api` or `billing.worker`; a name without a separator is its own. */
export function namePrefix(name: string): string {
  return name.split(/[-._]/, 1)[0] || name;
}

/** The group a service falls in; a service without a namespace (or a tag) falls back to its name's prefix. */
export function groupKeyOf(node: Pick<TTopologyNode, "id" | "namespace" | "tags">, by: Exclude<TTopologyGrouping, "none">): string {
  if (by === "namespace" && node.namespace) return node.namespace;
  if (by === "tag" && node.tags[0]) return node.tags[0];
  return namePrefix(node.id);
}

const healthRank: Record<TTopologyNode["health"], number> = { passing: 0, unknown: 1, warning: 2, critical: 3 };

type TSignalsOf = Pick<TTopologyNode, "rps" | "errorRate" | "p50" | "p95" | "p99">;

/** Rates add up; the error share is weighted by rate; quantiles do not add up, so the worst member's stands. */
function mergeSignals(parts: TSignalsOf[]): TSignalsOf {
  const measured = parts.filter((part) => part.rps !== null);
  if (measured.length === 0) return { rps: null, errorRate: null, p50: null, p95: null, p99: null };
  const rps = measured.reduce((sum, part) => sum + (part.rps ?? 0), 0);
  const errors = measured.reduce((sum, part) => sum + (part.rps ?? 0) * (part.errorRate ?? 0), 0);
  const worst = (key: "p50" | "p95" | "p99") => measured.reduce<number | null>((max, part) => (part[key] === null ? max : Math.max(max ?? 0, part[key])), null);
  return { rps, errorRate: rps > 0 ? errors / rps : null, p50: worst("p50"), p95: worst("p95"), p99: worst("p99") };
}

function groupNode(key: string, members: TTopologyNode[]): TTopologyNode {
  const health = members.reduce<TTopologyNode["health"]>((worst, node) => (healthRank[node.health] > healthRank[worst] ? node.health : worst), "passing");
  const instances = { total: 0, passing: 0, warning: 0, critical: 0, unknown: 0 };
  for (const node of members) for (const name of Object.keys(instances) as (keyof typeof instances)[]) instances[name] += node.instances[name];
  return {
    id: groupNodeId(key),
    kind: "group",
    group: key,
    health,
    instances,
    tags: [],
    namespace: members.every((node) => node.namespace === key) ? key : null,
    registered: true,
    members: members.map((node) => node.id).sort(),
    ...mergeSignals(members),
  };
}

/**
 * The graph with each group of services shown as one node when it has more than `collapseAbove` services, but
 * for the groups in `expanded` (and groups of one); edges between two shown nodes merge into one. Nodes keep their group.
 */
export function groupTopology({
  nodes,
  edges,
  by,
  expanded = [],
  keepOpen = [],
}: {
  nodes: TTopologyNode[];
  edges: TTopologyEdge[];
  by: TTopologyGrouping;
  expanded?: string[];
  /** Services whose group stays open whatever (the one in focus). */
  keepOpen?: string[];
}): { nodes: TTopologyNode[]; edges: TTopologyEdge[]; collapsed: boolean } {
  if (by === "none") return { nodes, edges, collapsed: false };
  const byKey = new Map<string, TTopologyNode[]>();
  const keyOf = new Map<string, string>();
  for (const node of nodes) {
    const key = groupKeyOf(node, by);
    keyOf.set(node.id, key);
    const members = byKey.get(key);
    if (members) members.push(node);
    else byKey.set(key, [node]);
  }
  const grouped = nodes.map((node) => ({ ...node, group: keyOf.get(node.id) ?? null }));
  if (nodes.length <= collapseAbove) return { nodes: grouped, edges, collapsed: false };

  const open = new Set([...expanded, ...keepOpen.flatMap((id) => keyOf.get(id) ?? [])]);
  const shownAs = new Map<string, string>();
  const shown: TTopologyNode[] = [];
  for (const [key, members] of byKey) {
    if (members.length === 1 || open.has(key)) {
      for (const node of members) shownAs.set(node.id, node.id);
      continue;
    }
    const group = groupNode(key, members);
    for (const node of members) shownAs.set(node.id, group.id);
    shown.push(group);
  }
  shown.push(...grouped.filter((node) => shownAs.get(node.id) === node.id));

  const merged = new Map<string, { caller: string; callee: string; parts: TTopologyEdge[] }>();
  for (const edge of edges) {
    const [caller, callee] = [shownAs.get(edge.caller) ?? edge.caller, shownAs.get(edge.callee) ?? edge.callee];
    // Calls within a collapsed group are inside its node.
    if (caller === callee && caller !== edge.caller) continue;
    const id = `${caller}->${callee}`;
    const entry = merged.get(id);
    if (entry) entry.parts.push(edge);
    else merged.set(id, { caller, callee, parts: [edge] });
  }
  const shownEdges = [...merged].map(([id, { caller, callee, parts }]): TTopologyEdge => {
    const [first] = parts;
    if (parts.length === 1 && first && first.id === id) return first;
    return {
      id,
      caller,
      callee,
      declared: parts.some((edge) => edge.declared),
      observed: parts.some((edge) => edge.observed),
      members: parts.reduce((sum, edge) => sum + edge.members, 0),
      ...mergeSignals(parts),
    };
  });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { nodes: shown.sort(byId), edges: shownEdges.sort(byId), collapsed: true };
}
