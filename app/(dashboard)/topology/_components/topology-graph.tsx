"use client";

import { Background, Controls, MarkerType, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useRangeHref } from "@/components/time/range-link";
import { useDarkTheme } from "@/components/layout/use-dark-theme";
import { cn } from "@/components/ui/cn";
import { createHoverStore, HoverContext } from "./hover-store";
import type { TTopology } from "@/lib/metrics/views";
import { nodeSize } from "./layout-graph";
import { ServiceNode, type TServiceNode } from "./service-node";
import { TopologyLegend } from "./topology-legend";
import { edgeStyle, healthColor } from "./topology-colors";
import { TrafficEdge, type TTrafficEdge } from "./traffic-edge";
import { useTopologyLayout } from "./use-topology-layout";

// Module-level, so React Flow never sees new component types and remounts every node.
const nodeTypes = { service: ServiceNode };
const edgeTypes = { traffic: TrafficEdge };

function Graph({ topology }: { topology: TTopology }) {
  const router = useRouter();
  const rangeHref = useRangeHref();
  const { fitView } = useReactFlow();
  const input = useMemo(
    () => ({ nodes: topology.nodes.map((node) => node.id), edges: topology.edges.map((edge) => ({ id: edge.id, source: edge.caller, target: edge.callee })) }),
    [topology],
  );
  const { layout, pending } = useTopologyLayout(input);
  const [hover] = useState(createHoverStore);
  const [hovering, setHovering] = useState(false);
  const dark = useDarkTheme();

  const nodes = useMemo<TServiceNode[]>(() => {
    if (!layout) return [];
    return topology.nodes.flatMap((node) => {
      const position = layout.nodes[node.id];
      return position ? [{ id: node.id, type: "service" as const, position, data: { node }, ...nodeSize, draggable: false, connectable: false }] : [];
    });
  }, [layout, topology]);

  const edges = useMemo<TTrafficEdge[]>(() => {
    if (!layout) return [];
    return topology.edges.flatMap((edge) => {
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
    });
  }, [layout, topology]);

  // A new structure gets a new layout: show all of it; metrics refreshes leave the view alone.
  const layoutKey = layout?.key;
  useEffect(() => {
    if (!layoutKey) return;
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.08, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(frame);
  }, [layoutKey, fitView]);

  return (
    <HoverContext.Provider value={hover}>
      <ReactFlow<TServiceNode, TTrafficEdge>
        // Pointing at a service brings its edges forward and fades the rest.
        className={cn(hovering && "[&_.topology-edge:not(.topology-edge-hovered)]:opacity-15")}
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
        onNodeClick={(_event, node) => {
          if (node.data.node.registered) router.push(rangeHref(`/services/${encodeURIComponent(node.id)}`));
        }}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        minZoom={0.01}
        maxZoom={2}
        colorMode={dark ? "dark" : "light"}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1.1 }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
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
          <TopologyLegend dense={layout ? !layout.roomyLabels : false} />
        </Panel>
        {pending && (
          <Panel position="top-left">
            <p role="status" className="rounded-md bg-zinc-900/85 px-3 py-1.5 text-xs text-white shadow dark:bg-zinc-100/90 dark:text-zinc-900">
              Laying out {input.nodes.length} services and {input.edges.length} edges…
            </p>
          </Panel>
        )}
      </ReactFlow>
    </HoverContext.Provider>
  );
}

/** The fleet as a live graph: services coloured by health, edges by traffic and errors; click a service to open it. */
export function TopologyGraph({ topology }: { topology: TTopology }) {
  return (
    <ReactFlowProvider>
      <Graph topology={topology} />
    </ReactFlowProvider>
  );
}
