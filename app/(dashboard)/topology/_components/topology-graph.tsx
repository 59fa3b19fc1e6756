"use client";

import {
  Background,
  ControlButton,
  Controls,
  getViewportForBounds,
  MarkerType,
  MiniMap,
  Panel,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStoreApi,
  type NodeHandle,
} from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { useRangeHref } from "@/components/time/range-link";
import { useDarkTheme } from "@/components/layout/use-dark-theme";
import { cn } from "@/components/ui/cn";
import type { TTopology } from "@/lib/metrics/views";
import { CanvasLayer } from "./canvas-layer";
import { drawsEdgesOnCanvas, edgeAt, nodeAt } from "@/lib/metrics/topology/topology-scene";
import { buildScene } from "./canvas-scene";
import { EdgePanel } from "./edge-panel";
import { GroupNode } from "./group-node";
import { createIdStore, FoundContext, HoverContext } from "./hover-store";
import { nodeSize } from "./layout-graph";
import { ServiceNode, type TServiceNode } from "./service-node";
import { TopologyLegend } from "./topology-legend";
import { edgeStyle, healthColor } from "./topology-colors";
import { TrafficEdge, type TTrafficEdge } from "./traffic-edge";
import { useSettledView } from "./use-settled-view";
import { useTopologyLayout } from "./use-topology-layout";
import { BandContext, readableZoom } from "./zoom-detail";

// Module-level, so React Flow never sees new component types and remounts every node.
const nodeTypes = { service: ServiceNode, collapsed: GroupNode };
const edgeTypes = { traffic: TrafficEdge };
// The graph opens no further out than its labels stay 11 px on screen (zoom-detail.ts).
const readableFit = { padding: 0.08, minZoom: readableZoom, maxZoom: 1.1 };
// Past this many edges, lines are drawn faint until a service is pointed at.
const fadeEdgesAbove = 60;
// Pixels left above and beside a graph shown from its start.
const startMargin = 16;
// The overview button shows everything, however small: as far out and in as the graph goes.
const wholeFit = { padding: 0.04, minZoom: 0.02, maxZoom: 2 };
// Sizes and handles given rather than measured: no node has to be drawn (all 1,000 at once) to be measured first, and
// fitting the view waits for none.
const handles: NodeHandle[] = [
  { type: "target", position: Position.Left, x: 0, y: nodeSize.height / 2 - 0.5, width: 1, height: 1 },
  { type: "source", position: Position.Right, x: nodeSize.width - 1, y: nodeSize.height / 2 - 0.5, width: 1, height: 1 },
];

export type TFind = { name: string; seq: number };

type TGraphProps = {
  topology: TTopology;
  /** A service to centre on once it is drawn; `seq` asks again for the same name. */
  find: TFind | null;
  onExpand: (keys: string[]) => void;
};

function Graph({ topology: latest, find, onExpand }: TGraphProps) {
  const router = useRouter();
  const rangeHref = useRangeHref();
  const { setCenter, getZoom, setViewport, screenToFlowPosition } = useReactFlow();
  const store = useStoreApi();
  const { band, overview, shown: topology, settleNow } = useSettledView(latest, latest.nodes.length);
  const input = useMemo(
    () => ({ nodes: topology.nodes.map((node) => node.id), edges: topology.edges.map((edge) => ({ id: edge.id, source: edge.caller, target: edge.callee })) }),
    [topology],
  );
  const layout = useTopologyLayout(input);
  const [hover] = useState(createIdStore);
  const [found] = useState(createIdStore);
  const [hovered, setHovered] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const dark = useDarkTheme();
  const onCanvas = drawsEdgesOnCanvas(topology.nodes.length, topology.edges.length);
  const byId = useMemo(() => new Map(topology.nodes.map((node) => [node.id, node])), [topology]);

  const nodes = useMemo<TServiceNode[]>(
    () =>
      topology.nodes.flatMap((node) => {
        const position = layout.nodes[node.id];
        return position
          ? [
              {
                id: node.id,
                type: node.kind === "group" ? ("collapsed" as const) : ("service" as const),
                position,
                data: { node },
                ...nodeSize,
                measured: nodeSize,
                handles,
                hidden: overview,
                draggable: false,
                connectable: false,
              },
            ]
          : [];
      }),
    [layout, topology, overview],
  );

  const edges = useMemo<TTrafficEdge[]>(
    () =>
      topology.edges.flatMap((edge) => {
        const route = layout.edges[edge.id];
        if (!route || !layout.nodes[edge.caller] || !layout.nodes[edge.callee]) return [];
        const { color } = edgeStyle(edge);
        return [
          {
            id: edge.id,
            type: "traffic" as const,
            source: edge.caller,
            target: edge.callee,
            data: { edge, route, roomyLabels: layout.roomyLabels },
            selectable: false,
            markerEnd: { type: MarkerType.ArrowClosed, color, width: 14, height: 14, markerUnits: "userSpaceOnUse" },
          },
        ];
      }),
    [layout, topology],
  );
  // A large graph's edges are on the canvas; as DOM edges (labelled, clickable) only those of the service pointed at.
  const shownEdges = useMemo(
    () => (!onCanvas ? edges : overview || !hovered ? [] : edges.filter((edge) => edge.source === hovered || edge.target === hovered)),
    [edges, onCanvas, overview, hovered],
  );
  const scene = useMemo(() => buildScene({ nodes: topology.nodes, edges: topology.edges, positions: layout.nodes, size: nodeSize }), [topology, layout]);

  // On the canvas, a click picks what is under it: zoomed out a group opens and a service is centred at a readable
  // size (ringed, as a search's find); an edge opens its panel.
  const pick = (event: MouseEvent): void => {
    const [point, zoom] = [screenToFlowPosition({ x: event.clientX, y: event.clientY }), getZoom()];
    const node = overview ? byId.get(nodeAt(scene, point, zoom) ?? "") : undefined;
    const position = node ? layout.nodes[node.id] : undefined;
    if (node?.kind === "group" && node.group) return onExpand([node.group]);
    if (node && position) {
      found.set(node.id);
      return void setCenter(position.x + nodeSize.width / 2, position.y + nodeSize.height / 2, { zoom: Math.max(zoom, 1), duration: 0 }).then(settleNow);
    }
    setSelected(edgeAt(scene, point, zoom));
  };
  // Over the canvas, the pointer says what a click would do, and zoomed out a service pointed at shows its edges.
  const point = (event: MouseEvent): void => {
    if (event.buttons !== 0 || !frame.current) return;
    const [at, zoom] = [screenToFlowPosition({ x: event.clientX, y: event.clientY }), getZoom()];
    const node = overview ? byId.get(nodeAt(scene, at, zoom) ?? "") : undefined;
    if (overview) hover.set(node?.id ?? null);
    const edge = node ? null : edgeAt(scene, at, zoom);
    frame.current.title = node
      ? `${node.kind === "group" ? node.group : node.id}: ${node.health}. Click to ${node.kind === "group" ? "show its services" : "zoom to it"}.`
      : edge
        ? `${edge.replace("->", " → ")}: click for its rate, errors and latency.`
        : "";
    if (node || edge) frame.current.dataset.pointing = "";
    else delete frame.current.dataset.pointing;
  };

  // A new structure is shown at a readable size; a search's service is centred (and ringed) once, as soon as it is
  // drawn (at once, or once its group opened); metrics refreshes leave the view alone.
  const centred = useRef(0);
  const findSeq = find?.seq ?? 0;
  const findName = find?.name;
  const findPosition = findName ? layout.nodes[findName] : undefined;
  // The box around every node (hidden ones too: zoomed out, a large graph's nodes are drawn on the canvas).
  const bounds = useMemo(() => {
    let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const at of Object.values(layout.nodes)) {
      [left, top] = [Math.min(left, at.x), Math.min(top, at.y)];
      [right, bottom] = [Math.max(right, at.x + nodeSize.width), Math.max(bottom, at.y + nodeSize.height)];
    }
    return left === Infinity ? null : { x: left, y: top, width: right - left, height: bottom - top };
  }, [layout]);
  // Views are set at once, never through React Flow's fitView: that is queued to a later frame, where it landed after
  // (and undid) an operator's click on the overview button. A new structure opens whole at a readable size or, too
  // large for that (a phone, a large graph), at its start (callers' side, top), not its middle.
  const showView = useCallback(
    (fit: typeof readableFit): boolean => {
      const { width, height, panZoom } = store.getState();
      // Not measured yet (the first frames): the caller tries again.
      if (!panZoom || !width || !height) return false;
      if (!bounds) return true;
      const fitted = getViewportForBounds(bounds, width, height, fit.minZoom, fit.maxZoom, fit.padding);
      const clamped = fitted.zoom <= fit.minZoom + 0.001;
      const wide = bounds.width * fitted.zoom > width;
      void setViewport({
        zoom: fitted.zoom,
        x: clamped && wide ? startMargin - bounds.x * fitted.zoom : fitted.x,
        y: clamped ? startMargin - bounds.y * fitted.zoom : fitted.y,
      });
      settleNow();
      return true;
    },
    [store, bounds, setViewport, settleNow],
  );
  // A view the operator chose (a pan, a zoom, the overview button) is kept while refreshes redraw much the same graph.
  const chosenView = useRef(false);
  const fittedNodes = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let frame = requestAnimationFrame(function place() {
      if (!findName || !findPosition || centred.current === findSeq) {
        const ids = new Set(Object.keys(layout.nodes));
        // The operator may have chosen a view before the first drawing was shown (a quick click on the overview).
        const same = fittedNodes.current.size === 0 || sameGraph(fittedNodes.current, ids);
        if (chosenView.current && same) return void (fittedNodes.current = ids);
        if (!showView(readableFit)) return void (frame = requestAnimationFrame(place));
        fittedNodes.current = ids;
        chosenView.current = false;
        return;
      }
      centred.current = findSeq;
      chosenView.current = true;
      found.set(findName);
      void setCenter(findPosition.x + nodeSize.width / 2, findPosition.y + nodeSize.height / 2, { zoom: Math.max(getZoom(), 1), duration: 0 }).then(settleNow);
    });
    return () => cancelAnimationFrame(frame);
  }, [layout.key, layout.nodes, showView, findSeq, findName, findPosition, found, setCenter, getZoom, settleNow]);

  // Escape closes the edge's panel wherever the focus is.
  useEffect(() => {
    if (!selected) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") setSelected(null);
    };
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [selected]);

  const selectedEdge = selected ? topology.edges.find((edge) => edge.id === selected) : undefined;

  return (
    <HoverContext.Provider value={hover}>
      <FoundContext.Provider value={found}>
        <BandContext.Provider value={band}>
          <div ref={frame} data-testid="topology-frame" className="size-full [&[data-pointing]_.react-flow\_\_pane]:cursor-pointer">
            <ReactFlow<TServiceNode, TTrafficEdge>
              // Pointing at a service brings its edges forward and fades the rest; an edge is clicked for its details.
              // In a dense graph every edge stays faint until a service is pointed at: the lines recede, the services read.
              className={cn(
                "[&_.react-flow\\_\\_edge]:cursor-pointer",
                hovered
                  ? "[&_.topology-edge:not(.topology-edge-hovered)]:opacity-10"
                  : !layout.roomyLabels && edges.length > fadeEdgesAbove && "[&_.topology-edge]:opacity-30",
              )}
              data-testid="topology-graph"
              data-nodes={nodes.length}
              data-edges={edges.length}
              data-canvas={onCanvas ? (overview ? "nodes and edges" : "edges") : undefined}
              data-layout-ms={Math.round(layout.ms)}
              onNodeMouseEnter={(_event, node) => {
                hover.set(node.id);
                setHovered(node.id);
              }}
              onNodeMouseLeave={() => {
                hover.set(null);
                setHovered(null);
              }}
              nodes={nodes}
              edges={shownEdges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onNodeClick={(_event, { data: { node } }) => {
                if (node.kind === "group" && node.group) onExpand([node.group]);
                else if (node.registered) router.push(rangeHref(`/services/${encodeURIComponent(node.id)}`));
              }}
              onEdgeClick={(_event, edge) => setSelected(edge.id)}
              onMoveStart={(event) => {
                // A programmatic move (a fit, a centring) has no event.
                if (event) chosenView.current = true;
              }}
              onPaneClick={(event) => (onCanvas ? pick(event) : setSelected(null))}
              onPaneMouseMove={onCanvas ? point : undefined}
              onPaneMouseLeave={() => {
                if (overview) hover.set(null);
                frame.current?.removeAttribute("title");
                delete frame.current?.dataset.pointing;
              }}
              // A small graph keeps every node mounted: nothing to gain, and each stays findable in the DOM.
              onlyRenderVisibleElements={onCanvas}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              minZoom={wholeFit.minZoom}
              maxZoom={wholeFit.maxZoom}
              colorMode={dark ? "dark" : "light"}
            >
              <Background gap={24} size={1} />
              {onCanvas && <CanvasLayer scene={scene} withNodes={overview} dark={dark} pointed={hover} found={found} />}
              <Controls showInteractive={false} showFitView={false} onZoomIn={() => (chosenView.current = true)} onZoomOut={() => (chosenView.current = true)}>
                <ControlButton
                  className="react-flow__controls-fitview"
                  title="Show the whole graph"
                  aria-label="Show the whole graph"
                  onClick={() => {
                    chosenView.current = true;
                    showView(wholeFit);
                  }}
                >
                  <WholeGraphIcon />
                </ControlButton>
              </Controls>
              {overview ? (
                // The whole graph is its own map then; DOM nodes (labelled, focusable) are one click or a search away.
                <Panel position="bottom-center" className="max-md:!top-0 max-md:!bottom-auto">
                  <p className="rounded-md border border-zinc-200 bg-white/90 px-3 py-1.5 text-xs text-zinc-700 shadow-sm dark:border-zinc-700 dark:bg-zinc-900/90 dark:text-zinc-200">
                    Zoomed out: click a service to zoom to it, a group to open it, or find one by name.
                  </p>
                </Panel>
              ) : (
                // On a phone the minimap and the legend would cover most of the graph: the legend goes under it (page-client).
                <MiniMap<TServiceNode>
                  className="max-md:hidden"
                  pannable
                  zoomable
                  nodeColor={(node) => healthColor[node.data.node.health]}
                  nodeStrokeWidth={0}
                  ariaLabel="Topology overview"
                />
              )}
              <Panel position="top-right" className="max-md:hidden">
                <TopologyLegend dense={!layout.roomyLabels} />
              </Panel>
              {selectedEdge && (
                <Panel position="top-left">
                  <EdgePanel
                    edge={selectedEdge}
                    caller={byId.get(selectedEdge.caller)}
                    callee={byId.get(selectedEdge.callee)}
                    onExpand={(keys) => {
                      setSelected(null);
                      onExpand(keys);
                    }}
                    onClose={() => setSelected(null)}
                  />
                </Panel>
              )}
            </ReactFlow>
          </div>
        </BandContext.Provider>
      </FoundContext.Provider>
    </HoverContext.Provider>
  );
}

/** The fleet as a live graph: services coloured by health, edges by traffic and errors; click a service to open it, an edge for its details. */
export function TopologyGraph(props: TGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}

/** Whether two drawings show much the same services (a refresh), rather than another graph (a new focus or grouping). */
function sameGraph(before: ReadonlySet<string>, after: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const id of after) if (before.has(id)) shared++;
  return shared * 2 >= Math.max(before.size, after.size) && before.size > 0;
}

/** React Flow's fit-view icon: four corners. */
function WholeGraphIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
