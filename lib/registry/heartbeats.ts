import "server-only";
import { setInstanceHealth } from "@/lib/catalog/set-instance-health";
import { writeHeartbeats } from "@/lib/catalog/write-observations";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { beatState, forgetInstance, type TBeat } from "./beat-state";
import { deregisterInstance } from "./register-instance";

// Flushes the beat map (beat-state.ts) to the database and sweeps instances whose TTL ran out.
const flushMs = 1000;
const sweepMs = 200;
const loadMs = 2000;

export async function recordHeartbeat({ instanceId }: { instanceId: string }): Promise<{ health: string }> {
  let beat = beatState.beats.get(instanceId);
  if (!beat) {
    const row = await db.instance.findUnique({
      where: { source_instanceId: { source: "builtin", instanceId } },
      select: { id: true, checkKind: true, checkTtlMs: true, deregisterAfterMs: true, health: true },
    });
    if (!row) throw new AppError("not_found", `instance '${instanceId}' is not registered; register it again`, "id");
    if (row.checkKind !== "ttl") {
      throw new AppError("conflict", `instance '${instanceId}' has a ${row.checkKind} check; heartbeats are for ttl checks`, "id");
    }
    beat = { id: row.id, ttlMs: row.checkTtlMs, deregisterAfterMs: row.deregisterAfterMs, health: row.health, lastBeatAt: Date.now() };
    beatState.beats.set(instanceId, beat);
  }
  beat.lastBeatAt = Date.now();
  beatState.dirty.add(instanceId);
  if (beat.health !== "passing") {
    await flushHeartbeats();
    await setInstanceHealth({ id: beat.id, to: "passing", reason: "heartbeat received" });
    beat.health = "passing";
  }
  return { health: beat.health };
}

export async function flushHeartbeats() {
  if (beatState.dirty.size === 0) return;
  const ids = [...beatState.dirty];
  beatState.dirty.clear();
  const beaten = ids.flatMap((instanceId) => {
    const beat = beatState.beats.get(instanceId);
    return beat ? [{ instanceId, beat }] : [];
  });
  try {
    await writeHeartbeats(beaten.map(({ beat }) => ({ id: beat.id, at: new Date(beat.lastBeatAt) })));
  } catch (error) {
    for (const { instanceId } of beaten) beatState.dirty.add(instanceId);
    throw error;
  }
  await reconcile(beaten);
}

// What another process did to instances beating here: deregistered them (the next beat gets a 404
// and the instance registers again) or declared them critical (a fresh beat revives them).
async function reconcile(beaten: { instanceId: string; beat: TBeat }[]) {
  const rows = await db.instance.findMany({ where: { id: { in: beaten.map(({ beat }) => beat.id) } }, select: { id: true, health: true } });
  const health = new Map(rows.map((row) => [row.id, row.health]));
  for (const { instanceId, beat } of beaten) {
    const now = health.get(beat.id);
    if (now === undefined) forgetInstance(instanceId);
    else if (now !== "passing" && Date.now() - beat.lastBeatAt <= beat.ttlMs) {
      await setInstanceHealth({ id: beat.id, to: "passing", reason: "heartbeat received" });
      beat.health = "passing";
    } else beat.health = now;
  }
}

async function expireOverdue() {
  const now = Date.now();
  for (const [instanceId, beat] of beatState.beats) {
    if (beat.health === "critical") {
      await deregisterIfAbandoned(instanceId, beat, now);
      continue;
    }
    if (now - beat.lastBeatAt <= beat.ttlMs) continue;
    const silentMs = now - beat.lastBeatAt;
    // The database's beat must be overdue too: another app process may have received a fresher one.
    const cutoff = new Date(now - beat.ttlMs);
    const expired = await setInstanceHealth({
      id: beat.id,
      to: "critical",
      reason: `TTL expired: no heartbeat for ${(silentMs / 1000).toFixed(1)} s (ttl ${beat.ttlMs / 1000} s)`,
      detectionMs: silentMs,
      where: { OR: [{ lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: cutoff } }] },
      unless: () => Date.now() - beat.lastBeatAt <= beat.ttlMs,
    });
    if (expired) {
      beat.health = "critical";
      // A beat that landed while the expiry was being written wins at once.
      if (Date.now() - beat.lastBeatAt <= beat.ttlMs) await recordHeartbeat({ instanceId });
      continue;
    }
    // Not expired after all: learn what the database knows (a beat another process took, a deregistration).
    const row = await db.instance.findUnique({ where: { id: beat.id }, select: { lastHeartbeatAt: true, health: true } });
    if (!row) forgetInstance(instanceId);
    else Object.assign(beat, { lastBeatAt: Math.max(beat.lastBeatAt, row.lastHeartbeatAt?.getTime() ?? 0), health: row.health });
  }
}

// Critical and silent for deregisterAfter past its TTL, an instance is gone (Nacos and Consul do the same).
async function deregisterIfAbandoned(instanceId: string, beat: TBeat, now: number) {
  if (beat.deregisterAfterMs === null || now - beat.lastBeatAt <= beat.ttlMs + beat.deregisterAfterMs) return;
  const silentS = Math.round((now - beat.lastBeatAt) / 1000);
  await deregisterInstance({ instanceId, reason: `deregistered: no heartbeat for ${silentS} s (deregisterAfter ${beat.deregisterAfterMs / 1000} s)` }).catch(
    (error: unknown) => {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
    },
  );
  forgetInstance(instanceId);
}

// Every process watches every TTL instance, also those registered through another process (which
// may have died): expiry still needs the database to agree. Instances registered before this
// process started get one TTL of grace from the start.
async function loadTtlInstances() {
  const rows = await db.instance.findMany({
    where: { source: "builtin", checkKind: "ttl" },
    select: { id: true, instanceId: true, checkTtlMs: true, deregisterAfterMs: true, health: true, lastHeartbeatAt: true },
  });
  for (const row of rows) {
    if (beatState.beats.has(row.instanceId)) continue;
    const lastBeatAt = Math.max(row.lastHeartbeatAt?.getTime() ?? 0, beatState.startedAt);
    beatState.beats.set(row.instanceId, { id: row.id, ttlMs: row.checkTtlMs, deregisterAfterMs: row.deregisterAfterMs, health: row.health, lastBeatAt });
  }
}

/** Starts the TTL sweeper and the heartbeat flusher; safe to call more than once. */
export async function startHeartbeatTracking({ onError }: { onError: (error: unknown) => void }) {
  if (beatState.timer) return;
  await loadTtlInstances();
  let lastFlush = Date.now();
  let lastLoad = Date.now();
  let running = false;
  beatState.timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = Date.now();
    const flushDue = now - lastFlush >= flushMs;
    const loadDue = now - lastLoad >= loadMs;
    if (flushDue) lastFlush = now;
    if (loadDue) lastLoad = now;
    (async () => {
      if (flushDue) await flushHeartbeats();
      if (loadDue) await loadTtlInstances();
      await expireOverdue();
    })()
      .catch(onError)
      .finally(() => (running = false));
  }, sweepMs);
  beatState.timer.unref();
}
