"use client";

import { useStore, type ReactFlowState } from "@xyflow/react";

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

const detailAt = (zoom: number): TDetail => bands.find((band) => zoom >= band.from) ?? bands[bands.length - 1]!;
const selectDetail = (state: ReactFlowState) => detailAt(state.transform[2]).detail;

/** How much a node shows at the current zoom: re-renders a node only when the band changes, not on every zoom step. */
export function useDetail(): TDetail {
  const detail = useStore(selectDetail);
  return bands.find((band) => band.detail === detail)!;
}

/** How much an edge label must grow to stay 11 px on screen (with a little to spare): 1 at the full band, where labels are laid out. */
export const labelScaleAt = (zoom: number) => Math.max(1, 11.2 / (12 * zoom));
