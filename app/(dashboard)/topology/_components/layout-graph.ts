import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import { layeredLayout } from "@/lib/metrics/topology/layered-layout";

// Left-to-right layers, computed from the graph's structure only, so metrics refreshes never move a node: dagre's for
// a small graph (its routes bend around nodes and leave labels room), a linear-time layered one past that.

export const nodeSize = { width: 216, height: 76 };
// Each edge's label gets its own room in the layout, so labels neither overlap nodes nor each other.
export const edgeLabelSize = { width: 132, height: 36 };
// Beyond this many edges labels get no room (it would double the graph's size and layout time): they are
// shown for the edges of the service under the pointer, where the edge's route crosses its middle layer.
export const roomyLabelsUpTo = 150;
// Up to this many nodes and edges dagre takes a few ms and its routes read well; past it (seconds at 300 services
// and 1000 edges) its long bent routes turn into a tangle, where the wrapped layers stay on one screen.
const dagreUpTo = 160;
// The proportion a large graph is wrapped to: a wide screen's.
const wantedAspect = 1.6;

export type TPoint = { x: number; y: number };
export type TLayoutInput = { nodes: string[]; edges: { id: string; source: string; target: string }[] };
export type TEdgeRoute = { points: TPoint[]; label: TPoint };
export type TLayout = {
  key: string;
  nodes: Record<string, TPoint>;
  edges: Record<string, TEdgeRoute>;
  roomyLabels: boolean;
  width: number;
  height: number;
  ms: number;
};

/** What the layout depends on: the node and edge ids, in a stable order. */
export function structureKey({ nodes, edges }: TLayoutInput): string {
  return `${[...nodes].sort().join("\n")}\n--\n${edges
    .map((edge) => edge.id)
    .sort()
    .join("\n")}`;
}

/** Node top-left corners (what React Flow positions) and each edge's route and label centre. */
export function layoutGraph(input: TLayoutInput): TLayout {
  return input.nodes.length + input.edges.length <= dagreUpTo ? layoutByDagre(input) : layoutInLayers(input);
}

// A large graph's edges go straight from side to side (the edge draws an S-curve); labels sit halfway.
function layoutInLayers(input: TLayoutInput): TLayout {
  const started = performance.now();
  const laid = layeredLayout(input, { ...nodeSize, rankGap: 96, rowGap: 20, margin: 24, aspect: wantedAspect });
  const edges: TLayout["edges"] = {};
  for (const edge of input.edges) {
    const [from, to] = [laid.nodes[edge.source], laid.nodes[edge.target]];
    if (!from || !to) continue;
    const points = [
      { x: from.x + nodeSize.width, y: from.y + nodeSize.height / 2 },
      { x: to.x, y: to.y + nodeSize.height / 2 },
    ];
    edges[edge.id] = { points, label: { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 } };
  }
  return { key: structureKey(input), nodes: laid.nodes, edges, roomyLabels: false, width: laid.width, height: laid.height, ms: performance.now() - started };
}

function layoutByDagre(input: TLayoutInput): TLayout {
  const started = performance.now();
  const roomyLabels = input.edges.length <= roomyLabelsUpTo;
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  // A dense graph packs its long edges closer: bundles of them decide its height.
  graph.setGraph({ rankdir: "LR", ranksep: 64, nodesep: roomyLabels ? 24 : 16, edgesep: roomyLabels ? 16 : 6, marginx: 24, marginy: 24 });
  for (const id of input.nodes) graph.setNode(id, { ...nodeSize });
  for (const edge of input.edges) graph.setEdge(edge.source, edge.target, roomyLabels ? { ...edgeLabelSize, labelpos: "c" } : {}, edge.id);
  dagre.layout(graph);

  const nodes: TLayout["nodes"] = {};
  for (const id of input.nodes) {
    const { x = 0, y = 0 } = graph.node(id);
    nodes[id] = { x: x - nodeSize.width / 2, y: y - nodeSize.height / 2 };
  }
  const edges: TLayout["edges"] = {};
  for (const edge of input.edges) {
    const route = graph.edge(edge.source, edge.target, edge.id);
    const points = (route.points ?? []).map(({ x, y }) => ({ x, y }));
    // Without room of its own, a label sits halfway along the route.
    const [a = { x: 0, y: 0 }, b = a] = [points[Math.floor((points.length - 1) / 2)], points[Math.ceil((points.length - 1) / 2)]];
    edges[edge.id] = { points, label: { x: route.x ?? (a.x + b.x) / 2, y: route.y ?? (a.y + b.y) / 2 } };
  }
  const { width = 0, height = 0 } = graph.graph();
  return { key: structureKey(input), nodes, edges, roomyLabels, width, height, ms: performance.now() - started };
}
