"use client";

import { useMemo } from "react";
import { layoutGraph, structureKey, type TLayout, type TLayoutInput } from "./layout-graph";

// Layouts of this tab's recent structures: going back to a filter or to a moment with the same graph is instant.
const cache = new Map<string, TLayout>();
const cacheSize = 24;

function remember(layout: TLayout): TLayout {
  cache.delete(layout.key);
  cache.set(layout.key, layout);
  for (const key of cache.keys()) {
    if (cache.size <= cacheSize) break;
    cache.delete(key);
  }
  return layout;
}

/** The layout of the graph's structure, recomputed only when nodes or edges come or go (tens of ms at 1000 services). */
export function useTopologyLayout(input: TLayoutInput): TLayout {
  // Sorting 4000 ids is a few ms: once per answer, not on every hover.
  const key = useMemo(() => structureKey(input), [input]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the structure: metrics refreshes keep the layout
  return useMemo(() => cache.get(key) ?? remember(layoutGraph(input)), [key]);
}
