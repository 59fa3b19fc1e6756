import type { TTopologyEdge, TTopologyNode } from "@/lib/metrics/views";
import {
  edgeBox,
  overlaps,
  visibleArea,
  type TSceneEdge as TGeometryEdge,
  type TSceneNode as TGeometryNode,
  type TViewport,
} from "@/lib/metrics/topology/topology-scene";
import type { TPoint } from "./layout-graph";
import { edgeStyle, healthColor } from "./topology-colors";

// A large graph's edges (thousands of SVG paths) are drawn on one canvas under the nodes, and zoomed out past readable
// labels its nodes too: what to draw (in graph coordinates) and how, for a viewport. What lies under a point: topology-scene.ts.

type TSceneNode = TGeometryNode & { health: TTopologyNode["health"]; name: string };
type TSceneEdge = TGeometryEdge & { color: string; width: number; dashed: boolean; caller: string; callee: string };
export type TScene = { nodes: TSceneNode[]; edges: TSceneEdge[]; size: { width: number; height: number } };

// Tailwind's emerald-100 / amber-200 / rose-300 / zinc-200 and their dark counterparts: the DOM nodes' zoomed-out fills.
const fills: Record<"light" | "dark", Record<TTopologyNode["health"], string>> = {
  light: { passing: "#d1fae5", warning: "#fde68a", critical: "#fda4af", unknown: "#e4e4e7" },
  dark: { passing: "#064e3b", warning: "#92400e", critical: "#9f1239", unknown: "#3f3f46" },
};
const ink = { light: "#18181b", dark: "#f4f4f5" };
const foundColor = { light: "#0ea5e9", dark: "#38bdf8" };
// Names are drawn once they are this big on screen: smaller they are noise (the DOM nodes take over from 11 px).
const namesFromPx = 7;
// Arrowheads are drawn once they are this big on screen.
const arrowsFromPx = 5;
const arrowPx = 14;
// Edges recede as in the dense DOM graph; those of the service pointed at stand out, the rest fade further.
const edgeAlpha = 0.3;

/** The scene of a laid-out graph: nodes at their top-left corners, edges from the caller's right side to the callee's left. */
export function buildScene({
  nodes,
  edges,
  positions,
  size,
}: {
  nodes: TTopologyNode[];
  edges: TTopologyEdge[];
  positions: Record<string, TPoint>;
  size: { width: number; height: number };
}): TScene {
  const sceneNodes = nodes.flatMap((node) => {
    const at = positions[node.id];
    return at ? [{ id: node.id, x: at.x, y: at.y, health: node.health, name: node.kind === "group" && node.group ? node.group : node.id }] : [];
  });
  const sceneEdges = edges.flatMap((edge) => {
    const [from, to] = [positions[edge.caller], positions[edge.callee]];
    if (!from || !to) return [];
    return [
      {
        id: edge.id,
        from: { x: from.x + size.width, y: from.y + size.height / 2 },
        to: { x: to.x, y: to.y + size.height / 2 },
        ...edgeStyle(edge),
        caller: edge.caller,
        callee: edge.callee,
      },
    ];
  });
  return { nodes: sceneNodes, edges: sceneEdges, size };
}

type TDrawOptions = {
  viewport: TViewport;
  pixelRatio: number;
  dark: boolean;
  /** Nodes too (zoomed out), or only edges, under the DOM nodes. */
  withNodes: boolean;
  /** The service pointed at: its edges stand out (drawn here when `withNodes`, else by the DOM, and skipped here). */
  pointed: string | null;
  found: string | null;
};

/** Draws the scene for one viewport: edges batched per colour and width (a few dozen strokes, not thousands), then nodes. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: TScene, { viewport, pixelRatio, dark, withNodes, pointed, found }: TDrawOptions): void {
  const theme = dark ? "dark" : "light";
  const { zoom } = viewport;
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, viewport.width, viewport.height);
  ctx.setTransform(pixelRatio * zoom, 0, 0, pixelRatio * zoom, pixelRatio * viewport.x, pixelRatio * viewport.y);
  const area = visibleArea(viewport);

  const batches = new Map<string, TSceneEdge[]>();
  const lifted: TSceneEdge[] = [];
  for (const edge of scene.edges) {
    if (!overlaps(edgeBox(edge, 0), area)) continue;
    if (pointed && (edge.caller === pointed || edge.callee === pointed)) {
      if (withNodes) lifted.push(edge);
      continue;
    }
    // Widths to the nearest half px on screen (at least a hairline): a few batches, each one stroke.
    const key = `${edge.color} ${edge.dashed} ${Math.max(0.6, Math.round(edge.width * zoom * 2) / 2)}`;
    const batch = batches.get(key);
    if (batch) batch.push(edge);
    else batches.set(key, [edge]);
  }
  const arrows = arrowPx * zoom >= arrowsFromPx;
  const stroke = (edges: TSceneEdge[], alpha: number, widthPx: number) => {
    const [first] = edges;
    if (!first) return;
    ctx.beginPath();
    for (const { from, to } of edges) {
      const middle = (from.x + to.x) / 2;
      ctx.moveTo(from.x, from.y);
      ctx.bezierCurveTo(middle, from.y, middle, to.y, to.x - (arrows ? arrowPx / 2 : 0), to.y);
    }
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = first.color;
    ctx.lineWidth = widthPx / zoom;
    ctx.setLineDash(first.dashed && zoom > 0.15 ? [6, 5] : []);
    ctx.stroke();
    if (!arrows) return;
    ctx.beginPath();
    for (const { to } of edges) {
      ctx.moveTo(to.x, to.y);
      ctx.lineTo(to.x - arrowPx, to.y - arrowPx / 2);
      ctx.lineTo(to.x - arrowPx, to.y + arrowPx / 2);
      ctx.closePath();
    }
    ctx.fillStyle = first.color;
    ctx.fill();
  };
  for (const [key, edges] of batches) stroke(edges, pointed ? edgeAlpha / 3 : edgeAlpha, Number(key.split(" ")[2]));
  for (const edge of lifted) stroke([edge], 1, Math.max(1.5, zoom * edge.width));
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  if (!withNodes) return;

  const { width: w, height: h } = scene.size;
  const outline = 1.5 / zoom;
  const fontPx = 24;
  const named = fontPx * zoom >= namesFromPx;
  if (named) {
    ctx.font = `600 ${fontPx}px ui-sans-serif, system-ui, sans-serif`;
    ctx.textBaseline = "middle";
  }
  for (const node of scene.nodes) {
    if (!overlaps({ left: node.x, top: node.y, right: node.x + w, bottom: node.y + h }, area)) continue;
    ctx.fillStyle = fills[theme][node.health];
    ctx.fillRect(node.x, node.y, w, h);
    const ringed = node.id === found || node.id === pointed;
    ctx.strokeStyle = node.id === found ? foundColor[theme] : healthColor[node.health];
    ctx.lineWidth = ringed ? outline * 2.5 : outline;
    ctx.strokeRect(node.x, node.y, w, h);
    if (named) {
      ctx.fillStyle = ink[theme];
      ctx.fillText(node.name, node.x + 12, node.y + h / 2, w - 24);
    }
  }
}
