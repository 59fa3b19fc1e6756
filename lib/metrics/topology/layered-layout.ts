// A layered (Sugiyama-style) layout in linear time, for graphs too large for dagre: dagre took seconds at 300 services
// and 1000 edges. Callers left, callees right; a layer taller than the screen's proportion wraps into several columns.

export type TPoint = { x: number; y: number };
export type TLayeredInput = { nodes: string[]; edges: { id: string; source: string; target: string }[] };
export type TLayered = { nodes: Record<string, TPoint>; width: number; height: number };
type TSizes = { width: number; height: number; rankGap: number; rowGap: number; margin: number; aspect: number };

// Ordering sweeps: each pass down and back up settles most crossings; more rarely pays at this size.
const sweeps = 4;

/** Layers by longest path from the callers; a cycle is broken at the node with the fewest callers left. */
export function rankNodes({ nodes, edges }: TLayeredInput): Map<string, number> {
  const callers = new Map(nodes.map((id) => [id, 0]));
  const callees = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const { source, target } of edges) {
    if (source === target || !callers.has(source) || !callers.has(target)) continue;
    callers.set(target, (callers.get(target) ?? 0) + 1);
    callees.get(source)?.push(target);
  }
  const rank = new Map<string, number>();
  const ready = nodes.filter((id) => callers.get(id) === 0);
  const left = new Set(nodes);
  while (left.size > 0) {
    if (ready.length === 0) {
      let pick = "";
      let fewest = Infinity;
      for (const id of left) if ((callers.get(id) ?? 0) < fewest) [pick, fewest] = [id, callers.get(id) ?? 0];
      ready.push(pick);
    }
    const id = ready.pop()!;
    if (!left.delete(id)) continue;
    const own = rank.get(id) ?? 0;
    rank.set(id, own);
    for (const next of callees.get(id) ?? []) {
      if (!left.has(next)) continue;
      rank.set(next, Math.max(rank.get(next) ?? 0, own + 1));
      const remaining = (callers.get(next) ?? 0) - 1;
      callers.set(next, remaining);
      if (remaining === 0) ready.push(next);
    }
  }
  // A service only calling others sits just before the first of them, not far left by itself.
  for (const id of nodes) {
    const targets = (callees.get(id) ?? []).map((next) => rank.get(next) ?? 0);
    const own = rank.get(id) ?? 0;
    if (own === 0 && targets.length > 0 && !edges.some(({ target }) => target === id)) rank.set(id, Math.max(0, Math.min(...targets) - 1));
  }
  return rank;
}

/** Orders each layer by the mean position of its neighbours in the other layers (barycentres), down then up. */
function orderLayers(layers: string[][], neighbours: Map<string, string[]>, rank: Map<string, number>): void {
  const position = new Map<string, number>();
  const place = (layer: string[]) => layer.forEach((id, index) => position.set(id, (index + 0.5) / layer.length));
  layers.forEach(place);
  const sortBy = (layer: string[], side: (other: number, own: number) => boolean) => {
    const key = new Map<string, number>();
    for (const id of layer) {
      const own = rank.get(id) ?? 0;
      let sum = 0;
      let count = 0;
      for (const other of neighbours.get(id) ?? []) {
        if (!side(rank.get(other) ?? 0, own)) continue;
        sum += position.get(other) ?? 0;
        count += 1;
      }
      key.set(id, count > 0 ? sum / count : (position.get(id) ?? 0));
    }
    layer.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0));
    place(layer);
  };
  for (let pass = 0; pass < sweeps; pass++) {
    for (const layer of layers.slice(1)) sortBy(layer, (other, own) => other < own);
    for (const layer of layers.slice(0, -1).reverse()) sortBy(layer, (other, own) => other > own);
  }
}

/** Rows per column: the count whose wrapped layers come closest to the wanted width-to-height proportion. */
function rowsPerColumn(layers: string[][], { width, height, rankGap, rowGap, aspect }: TSizes): number {
  const tallest = Math.max(1, ...layers.map((layer) => layer.length));
  let best = tallest;
  let bestMiss = Infinity;
  for (let rows = 1; rows <= tallest; rows++) {
    const columns = layers.reduce((sum, layer) => sum + Math.ceil(layer.length / rows), 0);
    const miss = Math.abs(Math.log((columns * (width + rankGap)) / (rows * (height + rowGap)) / aspect));
    if (miss < bestMiss) [best, bestMiss] = [rows, miss];
  }
  return best;
}

/** Top-left corners of each node, callers before callees, layers wrapped to keep the whole near `aspect`. */
export function layeredLayout(input: TLayeredInput, sizes: TSizes): TLayered {
  const rank = rankNodes(input);
  const neighbours = new Map<string, string[]>(input.nodes.map((id) => [id, []]));
  for (const { source, target } of input.edges) {
    if (source === target) continue;
    neighbours.get(source)?.push(target);
    neighbours.get(target)?.push(source);
  }
  // Long call chains (or cycles broken into them) would stretch the graph into a strip: deeper layers share columns.
  const deepest = Math.max(0, ...rank.values()) + 1;
  const columnsWanted = Math.ceil(Math.sqrt((sizes.aspect * (sizes.height + sizes.rowGap) * input.nodes.length) / (sizes.width + sizes.rankGap)));
  if (deepest > columnsWanted) for (const [id, own] of rank) rank.set(id, Math.floor((own * columnsWanted) / deepest));
  const layers: string[][] = [];
  for (const id of input.nodes) (layers[rank.get(id) ?? 0] ??= []).push(id);
  const filled = layers.filter((layer) => layer.length > 0);
  orderLayers(filled, neighbours, rank);

  const rows = rowsPerColumn(filled, sizes);
  const { width, height, rankGap, rowGap, margin } = sizes;
  const tallest = Math.min(rows, Math.max(1, ...filled.map((layer) => layer.length)));
  const fullHeight = tallest * (height + rowGap) - rowGap;
  const nodes: TLayered["nodes"] = {};
  let column = 0;
  for (const layer of filled) {
    for (let start = 0; start < layer.length; start += rows, column += 1) {
      const slice = layer.slice(start, start + rows);
      const top = margin + (fullHeight - (slice.length * (height + rowGap) - rowGap)) / 2;
      slice.forEach((id, row) => (nodes[id] = { x: margin + column * (width + rankGap), y: top + row * (height + rowGap) }));
    }
  }
  return { nodes, width: 2 * margin + column * (width + rankGap) - rankGap, height: 2 * margin + fullHeight };
}
