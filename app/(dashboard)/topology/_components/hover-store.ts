"use client";

import { createContext, useContext, useSyncExternalStore } from "react";

/**
 * One id many components ask about (the service under the pointer, the one a search found): each reads only
 * whether it concerns it, so a change re-renders a few nodes or edges, not all.
 */
export function createIdStore() {
  let current: string | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set: (id: string | null) => {
      if (id === current) return;
      current = id;
      listeners.forEach((notify) => notify());
    },
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type TIdStore = ReturnType<typeof createIdStore>;

export const HoverContext = createContext<TIdStore | null>(null);
export const FoundContext = createContext<TIdStore | null>(null);

const noSubscription = () => () => {};

function useStoreHolds(store: TIdStore | null, holds: (id: string | null) => boolean): boolean {
  return useSyncExternalStore(
    store?.subscribe ?? noSubscription,
    () => holds(store?.get() ?? null),
    () => false,
  );
}

export function useTouchesHovered(source: string, target: string): boolean {
  return useStoreHolds(useContext(HoverContext), (hovered) => hovered === source || hovered === target);
}

export function useIsFound(id: string): boolean {
  return useStoreHolds(useContext(FoundContext), (found) => found === id);
}
