// Geometry of a large topology drawn on one canvas (the page's canvas layer): what is in view, and which node or edge
// lies under a point, since a canvas has no elements to click. Graph coordinates throughout; `zoom` is screen px per
// graph px.

export type TPoint = { x: number; y: number };
export type TBox = { left: number; top: number; right: number; bottom: number };
export type TViewport = { x: number; y: number; zoom: number; width: number; height: number };
export type TSceneNode = { id: string; x: number; y: number };
export type TSceneEdge = { id: string; from: TPoint; to: TPoint };
export type TSceneGeometry = { nodes: TSceneNode[]; edges: TSceneEdge[]; size: { width: number; height: number } };

// A click this close to an edge's line (screen px) picks it; a node is grown by this much each way.
const edgeSlackPx = 5;
const nodeSlackPx = 3;
const curveSamples = 12;

/** The part of the graph in view. */
export function visibleArea({ x, y, zoom, width, height }: TViewport): TBox {
  return { left: -x / zoom, top: -y / zoom, right: (width - x) / zoom, bottom: (height - y) / zoom };
}

export const overlaps = (a: TBox, b: TBox): boolean => a.right >= b.left && a.left <= b.right && a.bottom >= b.top && a.top <= b.bottom;

/** The box an edge's curve stays within (it never leaves its ends' box), grown by `slack`. */
export const edgeBox = ({ from, to }: TSceneEdge, slack = 0): TBox => ({
  left: Math.min(from.x, to.x) - slack,
  top: Math.min(from.y, to.y) - slack,
  right: Math.max(from.x, to.x) + slack,
  bottom: Math.max(from.y, to.y) + slack,
});

/** A point of an edge's S-curve (the cubic the graph draws between two points): it leaves and enters horizontally. */
export function curvePoint({ from, to }: { from: TPoint; to: TPoint }, t: number): TPoint {
  const middle = (from.x + to.x) / 2;
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return { x: a * from.x + (b + c) * middle + d * to.x, y: (a + b) * from.y + (c + d) * to.y };
}

function distanceToSegment(p: TPoint, a: TPoint, b: TPoint): number {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The node under a point at this zoom, or null: a node a few px tall on screen is grown by 3 screen px each way. */
export function nodeAt(scene: TSceneGeometry, point: TPoint, zoom: number): string | null {
  const slack = nodeSlackPx / zoom;
  for (const node of scene.nodes) {
    const [dx, dy] = [point.x - node.x, point.y - node.y];
    if (dx >= -slack && dx <= scene.size.width + slack && dy >= -slack && dy <= scene.size.height + slack) return node.id;
  }
  return null;
}

/** The edge whose line passes nearest a point, within 5 screen px at this zoom, or null. */
export function edgeAt(scene: TSceneGeometry, point: TPoint, zoom: number): string | null {
  const slack = edgeSlackPx / zoom;
  const here = { left: point.x, top: point.y, right: point.x, bottom: point.y };
  let best: { id: string; distance: number } | null = null;
  for (const edge of scene.edges) {
    if (!overlaps(edgeBox(edge, slack), here)) continue;
    let last = edge.from;
    for (let i = 1; i <= curveSamples; i++) {
      const next = curvePoint(edge, i / curveSamples);
      const distance = distanceToSegment(point, last, next);
      if (distance <= slack && (!best || distance < best.distance)) best = { id: edge.id, distance };
      last = next;
    }
  }
  return best?.id ?? null;
}

// Past this many nodes, a graph zoomed out below readable labels is drawn on the canvas, not as DOM nodes; past this
// many nodes or edges, its edges are at every zoom.
export const overviewAbove = 150;
const canvasEdgesAbove = 300;
// Zooming back to where the graph opened lands a hair under it: that is still the readable view.
const overviewSlack = 0.01;

/** Whether a graph's edges are drawn on the canvas, not as thousands of SVG paths. */
export const drawsEdgesOnCanvas = (nodes: number, edges: number): boolean => nodes > overviewAbove || edges > canvasEdgesAbove;

/** Whether a graph of this many nodes is drawn wholly on the canvas at this zoom (`readable`: where labels reach 11 px). */
export const isOverviewAt = (zoom: number, nodes: number, readable: number): boolean => nodes > overviewAbove && zoom < readable - overviewSlack;
