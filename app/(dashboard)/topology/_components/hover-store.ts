"use client";

import { createContext, useContext, useSyncExternalStore } from "react";

/** The service under the pointer. An edge reads only whether it touches it, so a hover re-renders a few edges, not all. */
export function createHoverStore() {
  let hovered: string | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => hovered,
    set: (id: string | null) => {
      if (id === hovered) return;
      hovered = id;
      listeners.forEach((notify) => notify());
    },
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type THoverStore = ReturnType<typeof createHoverStore>;

export const HoverContext = createContext<THoverStore | null>(null);

const noSubscription = () => () => {};

export function useTouchesHovered(source: string, target: string): boolean {
  const store = useContext(HoverContext);
  return useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    () => {
      const hovered = store?.get() ?? null;
      return hovered === source || hovered === target;
    },
    () => false,
  );
}
