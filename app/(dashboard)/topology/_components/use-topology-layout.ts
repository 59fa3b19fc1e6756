"use client";

import { useEffect, useEffectEvent, useRef, useState } from "react";
import { layoutGraph, structureKey, type TLayout, type TLayoutInput } from "./layout-graph";

// Layouts of this tab's recent structures: going back to a filter or to a moment with the same graph is instant.
const cache = new Map<string, TLayout>();
const cacheSize = 24;
// Up to this many nodes and edges dagre takes a few ms: laid out inline, with no empty first frame.
const inlineLimit = 160;

function remember(layout: TLayout): TLayout {
  cache.delete(layout.key);
  cache.set(layout.key, layout);
  for (const key of cache.keys()) {
    if (cache.size <= cacheSize) break;
    cache.delete(key);
  }
  return layout;
}

/**
 * The layout of the graph's structure, recomputed only when nodes or edges come or go. Large graphs are
 * laid out in a Web Worker; meanwhile the previous layout stays (`pending`), its missing nodes hidden.
 */
export function useTopologyLayout(input: TLayoutInput): { layout: TLayout | null; pending: boolean } {
  const key = structureKey(input);
  const inline = input.nodes.length + input.edges.length <= inlineLimit;
  const current = cache.get(key) ?? (inline ? remember(layoutGraph(input)) : undefined);
  const [, setLanded] = useState<string | null>(null);
  const [shown, setShown] = useState<TLayout | null>(null);
  if (current && current !== shown) setShown(current);
  const postInput = useEffectEvent((to: Worker) => to.postMessage({ nodes: input.nodes, edges: input.edges }));
  const worker = useRef<{ worker: Worker; key: string } | null>(null);

  useEffect(() => {
    if (cache.has(key)) return;
    // dagre cannot be interrupted: a layout of a structure no longer shown is dropped with its worker.
    worker.current?.worker.terminate();
    const next = new Worker(new URL("./layout-worker.ts", import.meta.url));
    worker.current = { worker: next, key };
    next.onmessage = (event: MessageEvent<TLayout>) => {
      remember(event.data);
      setLanded(event.data.key);
      next.terminate();
      if (worker.current?.worker === next) worker.current = null;
    };
    postInput(next);
  }, [key]);

  useEffect(() => () => worker.current?.worker.terminate(), []);

  return { layout: current ?? shown, pending: !current };
}
