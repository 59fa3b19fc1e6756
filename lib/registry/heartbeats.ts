import "server-only";
import { setImmediate as nextTurn } from "node:timers/promises";
import { setInstancesHealth, type TInstanceHealthChange } from "@/lib/catalog/set-instance-health";
import { writeHeartbeats } from "@/lib/catalog/write-observations";
import { db } from "@/lib/db";
import { isPostgres } from "@/lib/env";
import { AppError, asError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { beatDeadline, beatState, forgetInstance, markBeat, scheduleBeat, trackInstance, type TBeat } from "./beat-state";
import { deregisterAbandoned } from "./register-instance";

// The beat map (beat-state.ts) goes to the database every flushMs; the timing wheel is looked at every sweepMs;
// TTL instances registered or changed by other processes are read every loadMs.
const flushMs = 1000;
const sweepMs = 250;
const loadMs = 2000;
// Instances looked at in the database per sweep; the rest wait for the next one.
const maxPerSweep = 250;
const chunkSize = 500;
// Beats per write of the flush, the event loop let go between writes: SQLite runs statements synchronously, and
// 10,000 beats written back to back held every request for over 100 ms.
const beatsPerWrite = 200;

// How often at most an instance's beat is written, at the longest.
const maxStoreEveryMs = 10_000;

/**
 * How often at most an instance's beat is written. SQLite has one app process: its memory holds every beat, and the
 * database's copy serves the pages (which show the fresher one in memory, lib/registry/instance-view.ts) and a
 * restart (which gives every instance a TTL of grace), so a beat every few seconds per instance need not cost a
 * synchronous write each. On PostgreSQL the other app processes' expiry reads it, so a quarter of the instance's TTL
 * at most (peerLagMs counts it): writing every beat every flush, 3 apps wrote each instance's row up to 3 times a
 * second under a heartbeat flood.
 */
export function storeEveryMs(ttlMs: number): number {
  return isPostgres() ? Math.min(maxStoreEveryMs, ttlMs / 4) : maxStoreEveryMs;
}

// With one process (SQLite), a flush writes at most this many beats, the rest kept for the next: otherwise a fleet
// that began beating together is written all at once every storeEveryMs, 10,000 rows in one burst. Where peers read
// the beats (PostgreSQL) none waits past its storeEveryMs: peerLagMs counts on it.
const maxThinnedPerFlush = 2_000;

/**
 * How late another app process may write a beat it took: its storeEveryMs, a flush interval, and as long again twice
 * for the flush itself and a busy event loop. Expiring an instance whose beats reach several processes (its `shared`
 * flag) needs the database's beat overdue by the TTL plus this, so a beat taken elsewhere and not yet written is not
 * mistaken for silence. One process (SQLite) knows every beat at once.
 */
export function peerLagMs(ttlMs: number): number {
  return isPostgres() ? storeEveryMs(ttlMs) + 3 * flushMs : 0;
}

/** The hot path: a beat of a known, passing instance costs a lookup and a store. False: recordHeartbeat must take it. */
export function recordPassingBeat(instanceId: string): boolean {
  const beat = beatState.beats.get(instanceId);
  if (beat?.health !== "passing") return false;
  markBeat(instanceId, beat, Date.now());
  return true;
}

export async function recordHeartbeat({ instanceId }: { instanceId: string }): Promise<{ health: string }> {
  if (recordPassingBeat(instanceId)) return { health: "passing" };
  return recordSlowHeartbeat(instanceId, beatState.beats.get(instanceId), Date.now());
}

async function recordSlowHeartbeat(instanceId: string, known: TBeat | undefined, now: number): Promise<{ health: string }> {
  let beat = known;
  if (!beat) {
    const row = await db.instance.findUnique({
      where: { source_instanceId: { source: "builtin", instanceId } },
      select: { id: true, checkKind: true, checkTtlMs: true, deregisterAfterMs: true, health: true },
    });
    if (!row) throw new AppError("not_found", `instance '${instanceId}' is not registered; register it again`, "id");
    if (row.checkKind !== "ttl") {
      throw new AppError("conflict", `instance '${instanceId}' has a ${row.checkKind} check; heartbeats are for ttl checks`, "id");
    }
    beat =
      beatState.beats.get(instanceId) ??
      trackInstance({
        instanceId,
        id: row.id,
        ttlMs: row.checkTtlMs,
        deregisterAfterMs: row.deregisterAfterMs,
        health: row.health,
        lastBeatAt: now,
        shared: true,
      });
  }
  markBeat(instanceId, beat, now);
  if (beat.health !== "passing") await revive([{ instanceId, beat }]);
  return { health: beat.health };
}

/**
 * A TTL check set warning or critical by its client (Consul's check/warn|fail), as Consul keeps it: until the next
 * pass. The beats taken before it are marked superseded first, so a flush that reads the new health back does not
 * take one of them for a beat the decision missed and revive the instance (a fail undone within a second).
 */
export async function setTtlStatus({ instanceId, id, status, reason }: { instanceId: string; id: string; status: "warning" | "critical"; reason: string }) {
  const beat = beatState.beats.get(instanceId);
  if (beat) {
    const now = Date.now();
    // A warning resets the TTL, as any update does in Consul; a failure does not (DeregisterCriticalServiceAfter runs on).
    if (status === "warning") markBeat(instanceId, beat, now);
    beat.reportedAt = now;
  }
  await setInstancesHealth([{ id, to: status, reason }]);
  if (beat) {
    beat.health = status;
    scheduleBeat(instanceId, beat);
  }
}

type TRevival = { instanceId: string; beat: TBeat };
const revivals = processSingleton("meshdeck.revivals", () => ({ pending: [] as { revivals: TRevival[]; done: (error?: unknown) => void }[], draining: false }));

/**
 * Brings instances back to passing on a beat. Revivals arriving together (a fleet beating again after a network
 * split) share one write of their beats and one catalog change, as registrations do.
 */
function revive(entries: TRevival[]): Promise<void> {
  return new Promise((resolve, reject) => {
    revivals.pending.push({ revivals: entries, done: (error) => (error === undefined ? resolve() : reject(asError(error))) });
    if (revivals.draining) return;
    revivals.draining = true;
    setImmediate(() => void drainRevivals());
  });
}

async function drainRevivals() {
  try {
    while (revivals.pending.length > 0) {
      const waiting = revivals.pending.splice(0, 200);
      const entries = [...new Map(waiting.flatMap(({ revivals: batch }) => batch).map((entry) => [entry.beat.id, entry])).values()];
      try {
        // The beats are written first, so the expiry guard of every process sees them before the instances take traffic again.
        const stored = await writeHeartbeats(entries.map(({ beat }) => ({ id: beat.id, at: beat.lastBeatAt })));
        await setInstancesHealth(
          entries.filter(({ beat }) => stored.has(beat.id)).map(({ beat }) => ({ id: beat.id, to: "passing", reason: "heartbeat received" })),
        );
        for (const { instanceId, beat } of entries) {
          // Deregistered meanwhile (by another app process, say): forgotten here, and its client told to register again.
          if (!stored.has(beat.id)) {
            if (beatState.beats.get(instanceId) === beat) forgetInstance(instanceId);
            continue;
          }
          beat.health = "passing";
          scheduleBeat(instanceId, beat);
        }
        for (const { revivals: batch, done } of waiting) {
          const gone = batch.find(({ beat }) => !stored.has(beat.id));
          done(gone && new AppError("not_found", `instance '${gone.instanceId}' is not registered; register it again`, "id"));
        }
      } catch (error) {
        for (const { done } of waiting) done(error);
      }
    }
  } finally {
    revivals.draining = false;
  }
}

/** Writes the beats taken since the last flush, set-based, and learns what other processes did to those instances. */
export async function flushHeartbeats() {
  if (beatState.dirty.length === 0) return;
  const ids = beatState.dirty;
  beatState.dirty = [];
  const now = Date.now();
  const capped = !isPostgres();
  const beaten: { instanceId: string; beat: TBeat }[] = [];
  for (const instanceId of ids) {
    const beat = beatState.beats.get(instanceId);
    if (!beat?.dirty) continue;
    // Written not long ago (or this flush has its share): the beat waits for a later flush, still noted.
    if (now - beat.writtenAt < storeEveryMs(beat.ttlMs) || (capped && beaten.length >= maxThinnedPerFlush)) beatState.dirty.push(instanceId);
    else {
      beat.dirty = false;
      beaten.push({ instanceId, beat });
    }
  }
  // In id order across the writes too (writeHeartbeats's order within one), so processes lock rows in one order.
  beaten.sort((a, b) => (a.beat.id < b.beat.id ? -1 : a.beat.id > b.beat.id ? 1 : 0));
  for (let i = 0; i < beaten.length; i += beatsPerWrite) {
    if (i > 0) await nextTurn();
    await writeBeats(beaten.slice(i, i + beatsPerWrite));
  }
}

async function writeBeats(beaten: { instanceId: string; beat: TBeat }[]) {
  let health: Map<string, string>;
  try {
    health = await writeHeartbeats(beaten.map(({ beat }) => ({ id: beat.id, at: beat.lastBeatAt })));
  } catch (error) {
    for (const { instanceId, beat } of beaten) markBeat(instanceId, beat, beat.lastBeatAt);
    throw error;
  }
  // Another process deregistered an instance beating here (its next beat gets a 404 and it registers again), or
  // declared it critical (a beat within its TTL revives it, unless its client set the check since: setTtlStatus).
  const now = Date.now();
  const revived: { instanceId: string; beat: TBeat }[] = [];
  for (const entry of beaten) {
    entry.beat.writtenAt = now;
    const stored = health.get(entry.beat.id);
    if (stored === undefined) {
      if (beatState.beats.get(entry.instanceId) === entry.beat) forgetInstance(entry.instanceId);
    } else if (stored !== "passing" && now - entry.beat.lastBeatAt <= entry.beat.ttlMs && entry.beat.lastBeatAt > entry.beat.reportedAt) revived.push(entry);
    else if (stored !== entry.beat.health) {
      entry.beat.health = stored;
      scheduleBeat(entry.instanceId, entry.beat);
    }
  }
  if (revived.length > 0) await revive(revived);
}

type TDue = { instanceId: string; beat: TBeat };

/** Takes the instances whose deadline came, expires those silent past their TTL and deregisters the abandoned. */
export async function sweepBeats(now = Date.now()) {
  const due: TDue[] = [];
  for (const [slot, ids] of beatState.wheel.due(now)) {
    for (const instanceId of ids) {
      const beat = beatState.beats.get(instanceId);
      // Stale entries: the instance moved to a later slot, or is gone.
      if (!beat || beat.slot !== slot) continue;
      const deadline = beatDeadline(beat);
      if (deadline === null) beat.slot = -1;
      else if (deadline > now || due.length >= maxPerSweep) scheduleBeat(instanceId, beat, Math.max(deadline, now + sweepMs));
      else due.push({ instanceId, beat });
    }
  }
  if (due.length === 0) return;
  await refreshFromDatabase(due);
  const expiring: TInstanceHealthChange[] = [];
  const expiringBeats = new Map<string, TDue>();
  const abandoned: TDue[] = [];
  for (const entry of due) {
    const { instanceId, beat } = entry;
    if (beatState.beats.get(instanceId) !== beat) continue;
    const deadline = beatDeadline(beat);
    if (deadline === null) {
      beat.slot = -1;
      continue;
    }
    // The database's beat must be overdue by the peers' lag too: another process may hold a fresher one.
    const lagMs = beat.shared ? peerLagMs(beat.ttlMs) : 0;
    const storedDeadline = (beat.storedBeatAt ?? 0) + beat.ttlMs + lagMs + (beat.health === "critical" ? (beat.deregisterAfterMs ?? 0) : 0);
    if (deadline > now || storedDeadline > now) {
      scheduleBeat(instanceId, beat, Math.max(deadline, storedDeadline));
      continue;
    }
    // Back in the wheel at once: whatever the write decides, the instance is looked at again.
    scheduleBeat(instanceId, beat, now + sweepMs);
    if (beat.health === "critical") {
      abandoned.push(entry);
      continue;
    }
    const silentMs = now - beat.lastBeatAt;
    expiringBeats.set(beat.id, entry);
    expiring.push({
      id: beat.id,
      to: "critical",
      reason: `TTL expired: no heartbeat for ${(silentMs / 1000).toFixed(1)} s (ttl ${beat.ttlMs / 1000} s)`,
      detectionMs: silentMs,
      heartbeatBefore: new Date(now - beat.ttlMs - lagMs),
      // A beat that landed while the expiry was being written wins.
      unless: () => Date.now() - beat.lastBeatAt <= beat.ttlMs,
    });
  }
  if (expiring.length > 0) {
    const expired = await setInstancesHealth(expiring);
    for (const id of expired) {
      const entry = expiringBeats.get(id)!;
      entry.beat.health = "critical";
      scheduleBeat(entry.instanceId, entry.beat);
    }
  }
  if (abandoned.length > 0) {
    const gone = await deregisterAbandoned({
      instances: abandoned.map(({ instanceId, beat }) => ({
        instanceId,
        heartbeatBefore: new Date(now - beat.ttlMs - (beat.deregisterAfterMs ?? 0) - (beat.shared ? peerLagMs(beat.ttlMs) : 0)),
        reason: `deregistered: no heartbeat for ${Math.round((now - beat.lastBeatAt) / 1000)} s (deregisterAfter ${(beat.deregisterAfterMs ?? 0) / 1000} s)`,
      })),
    });
    for (const instanceId of gone) forgetInstance(instanceId);
  }
}

// What the database knows of instances that came due: a beat another process wrote, a change of health, a deregistration.
async function refreshFromDatabase(due: TDue[]) {
  for (let i = 0; i < due.length; i += chunkSize) {
    if (i > 0) await nextTurn();
    const chunk = due.slice(i, i + chunkSize);
    const rows = await db.instance.findMany({
      where: { id: { in: chunk.map(({ beat }) => beat.id) } },
      select: { id: true, lastHeartbeatAt: true, health: true, checkKind: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const { instanceId, beat } of chunk) {
      const row = byId.get(beat.id);
      if (!row || row.checkKind !== "ttl") {
        if (beatState.beats.get(instanceId) === beat) forgetInstance(instanceId);
        continue;
      }
      const stored = row.lastHeartbeatAt?.getTime() ?? 0;
      beat.storedBeatAt = stored;
      if (stored > beat.lastBeatAt) {
        // A beat this process never took: the instance beats (also) elsewhere.
        beat.lastBeatAt = stored;
        beat.shared = true;
      }
      beat.health = row.health;
    }
  }
}

// Rows per read: on SQLite each read holds the event loop and the database (a registration batch waits for it).
const loadPage = 500;

// Every process watches every TTL instance, also those registered through another process (which may have died):
// expiry still needs the database to agree. Read incrementally: instances whose modifyIndex passed the last one
// seen (a registration or a change of health anywhere bumps it). Instances registered before this process started
// get one TTL of grace from the start.
export async function loadTtlInstances() {
  const since = beatState.loadedIndex;
  // Changes this process's registration batches committed are tracked already; every change before each of them has
  // committed too (catalog changes commit in index order), so the rows read below are all that is left up to them.
  const own = beatState.ownIndexes.filter((index) => index > since);
  let loaded = Math.max(since, ...own);
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.instance.findMany({
      where: { source: "builtin", modifyIndex: { gt: since, ...(own.length > 0 ? { notIn: own } : {}) } },
      select: {
        id: true,
        instanceId: true,
        checkKind: true,
        checkTtlMs: true,
        deregisterAfterMs: true,
        health: true,
        lastHeartbeatAt: true,
        modifyIndex: true,
      },
      orderBy: [{ modifyIndex: "asc" }, { id: "asc" }],
      take: loadPage,
      ...(cursor === undefined ? {} : { cursor: { id: cursor }, skip: 1 }),
    });
    for (const row of rows) {
      loaded = Math.max(loaded, row.modifyIndex);
      const known = beatState.beats.get(row.instanceId);
      if (row.checkKind !== "ttl") {
        if (known) forgetInstance(row.instanceId);
        continue;
      }
      const stored = row.lastHeartbeatAt?.getTime() ?? 0;
      if (known?.id === row.id) {
        if (stored > known.lastBeatAt) Object.assign(known, { lastBeatAt: stored, shared: true });
        if (known.health !== row.health) {
          known.health = row.health;
          scheduleBeat(row.instanceId, known);
        }
        continue;
      }
      const lastBeatAt = Math.max(stored, beatState.startedAt);
      trackInstance({
        instanceId: row.instanceId,
        id: row.id,
        ttlMs: row.checkTtlMs,
        deregisterAfterMs: row.deregisterAfterMs,
        health: row.health,
        lastBeatAt,
        shared: true,
      });
    }
    if (rows.length < loadPage) break;
    cursor = rows.at(-1)!.id;
    // A fleet registering again (10,000 rows) is read in pages with the event loop let go between them (SQLite reads block it).
    await nextTurn();
  }
  // Catalog changes commit in index order (each holds the counter's row until it commits), so none is skipped.
  beatState.loadedIndex = loaded;
  beatState.ownIndexes = beatState.ownIndexes.filter((index) => index > loaded);
}

/** Starts the TTL sweeper and the heartbeat flusher; safe to call more than once. */
export async function startHeartbeatTracking({ onError }: { onError: (error: unknown) => void }) {
  if (beatState.timer) return;
  await loadTtlInstances();
  // The flush runs apart from the sweep, so a slow expiry never holds back the beats other processes wait to see.
  let flushing = false;
  const flusher = setInterval(() => {
    if (flushing) return;
    flushing = true;
    flushHeartbeats()
      .catch(onError)
      .finally(() => (flushing = false));
  }, flushMs);
  flusher.unref();
  let sweeping = false;
  let lastLoad = Date.now();
  beatState.timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    const loadDue = Date.now() - lastLoad >= loadMs;
    if (loadDue) lastLoad = Date.now();
    (async () => {
      if (loadDue) await loadTtlInstances();
      await sweepBeats();
    })()
      .catch(onError)
      .finally(() => (sweeping = false));
  }, sweepMs);
  beatState.timer.unref();
}
