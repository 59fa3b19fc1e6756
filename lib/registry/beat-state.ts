import "server-only";
import { processSingleton } from "@/lib/process-singleton";
import { TimingWheel } from "./timing-wheel";

// Heartbeats are the hot path: a beat is a Map lookup and a number stored here. The database sees the latest beat
// per instance every flush (heartbeats.ts), and a health transition when a TTL runs out or a beat revives one.
export type TBeat = {
  /** The Instance row's id. */
  id: string;
  /** The latest beat this process knows of: its own, or one another process wrote to the database. */
  lastBeatAt: number;
  /** The beat the database held when this process last read it (for the expiry's guard). */
  storedBeatAt?: number;
  /** Beats for it have reached another app process: a beat there may not be in the database yet. */
  shared: boolean;
  ttlMs: number;
  deregisterAfterMs: number | null;
  health: string;
  /** A beat not yet written to the database. */
  dirty: boolean;
  /** When this process last wrote the instance's beat (0: never). */
  writtenAt: number;
  /** When its client last set the check warning or critical here (0: never): a beat taken before does not undo it. */
  reportedAt: number;
  /** The timing wheel's slot this instance is looked at next; -1: none (critical and kept for good). */
  slot: number;
};

const slotMs = 250;

type TState = {
  beats: Map<string, TBeat>;
  dirty: string[];
  wheel: TimingWheel<string>;
  startedAt: number;
  loadedIndex: number;
  /** Catalog indexes this process's registration batches committed, past loadedIndex, ascending (see noteOwnIndex). */
  ownIndexes: number[];
  timer?: NodeJS.Timeout;
};
export const beatState = processSingleton<TState>("meshdeck.beats", () => ({
  beats: new Map(),
  dirty: [],
  wheel: new TimingWheel<string>(slotMs, Date.now()),
  startedAt: Date.now(),
  loadedIndex: -1,
  ownIndexes: [],
}));

// Own indexes kept at most: the TTL load skips at most this many (one query parameter each); older ones are read again.
export const maxOwnIndexes = 400;

/**
 * A registration batch of this process committed at `index`: every row with that modifyIndex is one it wrote and
 * tracked as it answered, so the load of other processes' changes (heartbeats.ts) need not read them back. Under a
 * registration flood that load read back every row just written, 2,000 at a time, holding SQLite (and the batches
 * waiting on it) for tens of milliseconds.
 */
export function noteOwnIndex(index: number) {
  const own = beatState.ownIndexes;
  if (index <= beatState.loadedIndex || (own.at(-1) ?? -1) >= index) return;
  own.push(index);
  if (own.length > maxOwnIndexes) own.splice(0, own.length - maxOwnIndexes);
}

/** The last heartbeat this process has seen for a builtin instance (by its registered id). */
export function getLastBeatAt(instanceId: string): number | undefined {
  return beatState.beats.get(instanceId)?.lastBeatAt;
}

/** When the instance is next looked at: its TTL running out, or, critical, its deregisterAfter. */
export function beatDeadline(beat: TBeat): number | null {
  if (beat.health !== "critical") return beat.lastBeatAt + beat.ttlMs;
  return beat.deregisterAfterMs === null ? null : beat.lastBeatAt + beat.ttlMs + beat.deregisterAfterMs;
}

/** Puts the instance in the timing wheel at `at`, or at its own deadline. */
export function scheduleBeat(instanceId: string, beat: TBeat, at = beatDeadline(beat)) {
  beat.slot = at === null ? -1 : beatState.wheel.schedule(instanceId, at);
}

/** Notes a beat for the next flush. */
export function markBeat(instanceId: string, beat: TBeat, at: number) {
  if (at > beat.lastBeatAt) beat.lastBeatAt = at;
  if (beat.dirty) return;
  beat.dirty = true;
  beatState.dirty.push(instanceId);
}

export function trackInstance({ instanceId, ...fields }: Omit<TBeat, "dirty" | "writtenAt" | "reportedAt" | "slot" | "storedBeatAt"> & { instanceId: string }) {
  const beat: TBeat = { ...fields, dirty: false, writtenAt: 0, reportedAt: 0, slot: -1 };
  beatState.beats.set(instanceId, beat);
  scheduleBeat(instanceId, beat);
  return beat;
}

export function forgetInstance(instanceId: string) {
  beatState.beats.delete(instanceId);
}
