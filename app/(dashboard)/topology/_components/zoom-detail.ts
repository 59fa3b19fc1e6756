"use client";

import { createContext, useContext, useSyncExternalStore } from "react";
import type { TIdStore } from "./hover-store";

// Zoom bands and the text sizes (graph px) that keep every label at 11 screen px or more within each: zoomed out a
// node says less, in larger type. Below `readableZoom` (the furthest the graph opens at) names shrink past 11 px.
const bands = [
  { detail: "full", from: 0.92, name: 15, line: 12, lines: 2 },
  { detail: "large", from: 0.7, name: 17, line: 16, lines: 2 },
  { detail: "medium", from: 0.5, name: 22, line: 22, lines: 1 },
  { detail: "compact", from: 0, name: 24, line: 0, lines: 0 },
] as const;

export type TDetail = (typeof bands)[number];

/** The furthest out the graph opens: compact names (24 px) are 11 px on screen there. */
export const readableZoom = 0.46;

export const detailAt = (zoom: number): TDetail => bands.find((band) => zoom >= band.from) ?? bands[bands.length - 1]!;

/** The band the nodes show: set when a pan or zoom settles, so a gesture never re-renders every node (topology-graph.tsx). */
export const BandContext = createContext<TIdStore | null>(null);

const noSubscription = () => () => {};

/** How much a node shows at the settled zoom: re-renders a node only when the band changes after a gesture. */
export function useDetail(): TDetail {
  const store = useContext(BandContext);
  const detail = useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    () => store?.get() ?? "full",
    () => "full",
  );
  return bands.find((band) => band.detail === detail) ?? bands[0];
}

/** How much an edge label must grow to stay 11 px on screen (with a little to spare): 1 at the full band, where labels are laid out. */
export const labelScaleAt = (zoom: number) => Math.max(1, 11.2 / (12 * zoom));
