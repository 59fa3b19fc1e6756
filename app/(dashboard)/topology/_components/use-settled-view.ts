"use client";

import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { createIdStore } from "./hover-store";
import { isOverviewAt } from "@/lib/metrics/topology/topology-scene";
import { detailAt, readableZoom } from "./zoom-detail";

// A pan or zoom has settled when the viewport has not moved for this long.
const settleMs = 150;

/**
 * What follows the viewport only once it settles, so a gesture never re-renders every node: the nodes' detail band,
 * the way back from the canvas overview to DOM nodes, and a refresh of the data (`latest`) that came meanwhile.
 * Zooming out into the overview is at once: hundreds of nodes must not mount as they come into view.
 */
export function useSettledView<T>(
  latest: T,
  nodeCount: number,
): { band: ReturnType<typeof createIdStore>; overview: boolean; shown: T; settleNow: () => void } {
  const store = useStoreApi();
  const [band] = useState(createIdStore);
  const [overview, setOverview] = useState(false);
  const [shown, setShown] = useState(latest);
  const moving = useRef(false);
  const waiting = useRef<{ value: T } | null>(null);
  const settleRef = useRef<() => void>(() => {});

  useEffect(() => {
    // A refresh waits for a gesture to settle; between gestures it is one render of the nodes in view.
    if (moving.current) waiting.current = { value: latest };
    else setShown(latest);
  }, [latest]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      moving.current = false;
      const zoom = store.getState().transform[2];
      band.set(detailAt(zoom).detail);
      setOverview(isOverviewAt(zoom, nodeCount, readableZoom));
      const held = waiting.current;
      waiting.current = null;
      if (held) setShown(held.value);
    };
    settle();
    settleRef.current = settle;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.transform === previous.transform) return;
      moving.current = true;
      if (isOverviewAt(state.transform[2], nodeCount, readableZoom)) setOverview(true);
      clearTimeout(timer);
      timer = setTimeout(settle, settleMs);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store, band, nodeCount]);

  // A jump the page makes itself (fit view, centring a search's find) is not a gesture: its detail shows at once, so
  // labels never sit under 11 px while it settles.
  const [settleNow] = useState(() => () => settleRef.current());
  return { band, overview, shown, settleNow };
}
