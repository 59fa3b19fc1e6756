import "server-only";
import { processSingleton } from "@/lib/process-singleton";

// Heartbeats are the hot path: they land in this map, the database sees only the latest beat per
// instance every `flushMs` (heartbeats.ts), and a health transition when a TTL runs out or a beat revives one.
export type TBeat = { id: string; lastBeatAt: number; ttlMs: number; deregisterAfterMs: number | null; health: string };

type TState = { beats: Map<string, TBeat>; dirty: Set<string>; startedAt: number; timer?: NodeJS.Timeout };
export const beatState = processSingleton<TState>("meshdeck.beats", () => ({ beats: new Map(), dirty: new Set(), startedAt: Date.now() }));

/** The last heartbeat this process has seen for a builtin instance (by its registered id). */
export function getLastBeatAt(instanceId: string): number | undefined {
  return beatState.beats.get(instanceId)?.lastBeatAt;
}

export function trackInstance({ instanceId, ...beat }: TBeat & { instanceId: string }) {
  beatState.beats.set(instanceId, beat);
  beatState.dirty.add(instanceId);
}

export function forgetInstance(instanceId: string) {
  beatState.beats.delete(instanceId);
  beatState.dirty.delete(instanceId);
}
