import { createHash } from "node:crypto";

// Rendezvous (highest random weight) hashing: every collector computes the same owner from the
// same list of live collectors, and when one leaves only its own instances (or services) move.
function score(key: string, collectorId: string): bigint {
  return createHash("sha1").update(key).update("\0").update(collectorId).digest().readBigUInt64BE(0);
}

export function ownerOf({ key, collectorIds }: { key: string; collectorIds: readonly string[] }): string | undefined {
  let best: { id: string; score: bigint } | undefined;
  for (const id of collectorIds) {
    const s = score(key, id);
    if (!best || s > best.score || (s === best.score && id > best.id)) best = { id, score: s };
  }
  return best?.id;
}
