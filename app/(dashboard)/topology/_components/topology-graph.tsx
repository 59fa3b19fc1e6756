"use client";

import { Background, Controls, MarkerType, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRangeHref } from "@/components/time/range-link";
import { useDarkTheme } from "@/components/layout/use-dark-theme";
import { cn } from "@/components/ui/cn";
import type { TTopology } from "@/lib/metrics/views";
import { EdgePanel } from "./edge-panel";
import { GroupNode } from "./group-node";
import { createIdStore, FoundContext, HoverContext } from "./hover-store";
import { nodeSize } from "./layout-graph";
import { ServiceNode, type TServiceNode } from "./service-node";
import { TopologyLegend } from "./topology-legend";
import { edgeStyle, healthColor } from "./topology-colors";
import { TrafficEdge, type TTrafficEdge } from "./traffic-edge";
import { useTopologyLayout } from "./use-topology-layout";
import { readableZoom } from "./zoom-detail";

// Module-level, so React Flow never sees new component types and remounts every node.
const nodeTypes = { service: ServiceNode, collapsed: GroupNode };
const edgeTypes = { traffic: TrafficEdge };
// The graph opens no further out than its labels stay 11 px on screen (zoom-detail.ts).
const fitOptions = { padding: 0.08, minZoom: readableZoom, maxZoom: 1.1 };
// Past this many edges, lines are drawn faint until a service is pointed at.
const fadeEdgesAbove = 60;
// Past this many edges they are not painted while the graph pans or zooms.
const hideEdgesMovingAbove = 300;
// The overview button shows everything, however small.
const fitAllOptions = { padding: 0.04 };

export type TFind = { name: string; seq: number };

type TGraphProps = {
  topology: TTopology;
  /** A service to centre on once it is drawn; `seq` asks again for the same name. */
  find: TFind | null;
  onExpand: (keys: string[]) => void;
};

function Graph({ topology, find, onExpand }: TGraphProps) {
  const router = useRouter();
  const rangeHref = useRangeHref();
  const { fitView, setCenter, getZoom } = useReactFlow();
  const input = useMemo(
    () => ({ nodes: topology.nodes.map((node) => node.id), edges: topology.edges.map((edge) => ({ id: edge.id, source: edge.caller, target: edge.callee })) }),
    [topology],
  );
  const layout = useTopologyLayout(input);
  const [hover] = useState(createIdStore);
  const [found] = useState(createIdStore);
  const [hovering, setHovering] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const dark = useDarkTheme();

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
                draggable: false,
                connectable: false,
              },
            ]
          : [];
      }),
    [layout, topology],
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

  // A new structure is shown at a readable size; a search's service is centred (and ringed) once, as soon as it is
  // drawn (at once, or once its group opened); metrics refreshes leave the view alone.
  const centred = useRef(0);
  const findSeq = find?.seq ?? 0;
  const findName = find?.name;
  const findPosition = findName ? layout.nodes[findName] : undefined;
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (!findName || !findPosition || centred.current === findSeq) return void fitView(fitOptions);
      centred.current = findSeq;
      found.set(findName);
      void setCenter(findPosition.x + nodeSize.width / 2, findPosition.y + nodeSize.height / 2, { zoom: Math.max(getZoom(), 1), duration: 0 });
    });
    return () => cancelAnimationFrame(frame);
  }, [layout.key, findSeq, findName, findPosition, found, fitView, setCenter, getZoom]);

  // Escape closes the edge's panel wherever the focus is.
  useEffect(() => {
    if (!selected) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") setSelected(null);
    };
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [selected]);

  const byId = useMemo(() => new Map(topology.nodes.map((node) => [node.id, node])), [topology]);
  const selectedEdge = selected ? topology.edges.find((edge) => edge.id === selected) : undefined;

  return (
    <HoverContext.Provider value={hover}>
      <FoundContext.Provider value={found}>
        {/* While a dense graph pans or zooms its edges are not painted: thousands of curves per frame made it stutter. */}
        <div ref={frame} className="size-full [&[data-moving]_.react-flow\_\_edgelabel-renderer]:hidden [&[data-moving]_.react-flow\_\_edges]:hidden">
          <ReactFlow<TServiceNode, TTrafficEdge>
            // Pointing at a service brings its edges forward and fades the rest; an edge is clicked for its details.
            // In a dense graph every edge stays faint until a service is pointed at: the lines recede, the services read.
            className={cn(
              "[&_.react-flow\\_\\_edge]:cursor-pointer",
              hovering
                ? "[&_.topology-edge:not(.topology-edge-hovered)]:opacity-10"
                : !layout.roomyLabels && edges.length > fadeEdgesAbove && "[&_.topology-edge]:opacity-30",
            )}
            data-testid="topology-graph"
            data-nodes={nodes.length}
            data-layout-ms={Math.round(layout.ms)}
            onNodeMouseEnter={(_event, node) => {
              hover.set(node.id);
              setHovering(true);
            }}
            onNodeMouseLeave={() => {
              hover.set(null);
              setHovering(false);
            }}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodeClick={(_event, { data: { node } }) => {
              if (node.kind === "group" && node.group) onExpand([node.group]);
              else if (node.registered) router.push(rangeHref(`/services/${encodeURIComponent(node.id)}`));
            }}
            onEdgeClick={(_event, edge) => setSelected(edge.id)}
            // Set on the element, not in state: a render of the graph per move would cost what hiding saves.
            onMoveStart={() => {
              if (frame.current && edges.length > hideEdgesMovingAbove) frame.current.dataset.moving = "";
            }}
            onMoveEnd={() => {
              if (frame.current) delete frame.current.dataset.moving;
            }}
            onPaneClick={() => setSelected(null)}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            minZoom={0.02}
            maxZoom={2}
            colorMode={dark ? "dark" : "light"}
            fitView
            fitViewOptions={fitOptions}
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} fitViewOptions={fitAllOptions} />
            {/* On a phone the minimap and the legend would cover most of the graph: the legend goes under it (page-client). */}
            <MiniMap<TServiceNode>
              className="max-md:hidden"
              pannable
              zoomable
              nodeColor={(node) => healthColor[node.data.node.health]}
              nodeStrokeWidth={0}
              ariaLabel="Topology overview"
            />
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
