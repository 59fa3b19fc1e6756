"use client";

import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { TIdStore } from "./hover-store";
import { drawScene, type TScene } from "./canvas-scene";

type TProps = { scene: TScene; withNodes: boolean; dark: boolean; pointed: TIdStore; found: TIdStore };

/**
 * A large graph's edges (and zoomed out, its nodes) on one canvas under the DOM nodes, redrawn once per frame the
 * viewport moves: a few dozen strokes instead of thousands of elements. It takes no pointer events: the pane pans and
 * zooms, and the graph hit-tests its clicks (canvas-scene.ts).
 */
export function CanvasLayer({ scene, withNodes, dark, pointed, found }: TProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (!element || !ctx) return;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const {
        transform: [x, y, zoom],
        width,
        height,
      } = store.getState();
      const pixelRatio = window.devicePixelRatio || 1;
      const [pixelsWide, pixelsHigh] = [Math.round(width * pixelRatio), Math.round(height * pixelRatio)];
      if (element.width !== pixelsWide || element.height !== pixelsHigh) [element.width, element.height] = [pixelsWide, pixelsHigh];
      drawScene(ctx, scene, { viewport: { x, y, zoom, width, height }, pixelRatio, dark, withNodes, pointed: pointed.get(), found: found.get() });
    };
    const request = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    draw();
    const unsubscribe = [
      store.subscribe((state, previous) => {
        if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) request();
      }),
      pointed.subscribe(request),
      found.subscribe(request),
    ];
    return () => {
      unsubscribe.forEach((stop) => stop());
      cancelAnimationFrame(frame);
    };
  }, [scene, withNodes, dark, pointed, found, store]);
  return <canvas ref={canvas} aria-hidden data-testid="topology-canvas" className="pointer-events-none absolute inset-0 z-[3] size-full" />;
}
