import type { TTopologyEdge, TTopologyNode } from "../views";

// Hops around a service: enough to follow a call two or three services deep without drawing the fleet.
export const maxFocusHops = 3;

/**
 * A service and the services within `hops` calls of it, either way, with the edges the search walked: those
 * with an end nearer than `hops`. One hop is the service, its callers and callees, and its own edges.
 */
export function focusAround<N extends Pick<TTopologyNode, "id">, E extends Pick<TTopologyEdge, "caller" | "callee">>({
  nodes,
  edges,
  service,
  hops,
}: {
  nodes: N[];
  edges: E[];
  service: string;
  hops: number;
}): { nodes: N[]; edges: E[] } {
  const neighbours = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = neighbours.get(from);
    if (list) list.push(to);
    else neighbours.set(from, [to]);
  };
  for (const { caller, callee } of edges) {
    link(caller, callee);
    link(callee, caller);
  }
  const distance = new Map([[service, 0]]);
  let frontier = [service];
  for (let hop = 1; hop <= hops && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const other of neighbours.get(id) ?? []) {
        if (distance.has(other)) continue;
        distance.set(other, hop);
        next.push(other);
      }
    }
    frontier = next;
  }
  const walked = (edge: E) => {
    const [a, b] = [distance.get(edge.caller), distance.get(edge.callee)];
    return a !== undefined && b !== undefined && Math.min(a, b) < hops;
  };
  return { nodes: nodes.filter((node) => distance.has(node.id)), edges: edges.filter(walked) };
}
