import "server-only";
import { db } from "@/lib/db";

// Free attempts before sign-ins for an account name are slowed down, the longest wait, and how
// long after the last failure the count starts again (so a lockout does not last for good).
const freeFailures = 3;
const maxWaitMs = 5 * 60_000;
const forgetAfterMs = 15 * 60_000;
// Every attempt with a new account name or address adds a row: forgotten rows are deleted now and then, and the
// table is held to this many rows (the oldest go first), so a flood of made-up names cannot fill the database.
const maxRows = 50_000;
const pruneEveryMs = 60_000;
let lastPrunedAt = 0;

function waitAfter(failures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(maxWaitMs, 1000 * 2 ** (failures - freeFailures));
}

/** Milliseconds to wait before this account may try again; 0 when it may try now. */
export async function getSignInWait({ key }: { key: string }): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  if (!row || Date.now() - row.lastFailureAt.getTime() > forgetAfterMs) return 0;
  return Math.max(0, row.lastFailureAt.getTime() + waitAfter(row.failures) - Date.now());
}

/**
 * Counts an attempt as a failure before the password is checked (a success clears it), so a burst
 * of parallel guesses is counted in full and pays with a longer wait.
 */
export async function recordSignInFailure({ key }: { key: string }): Promise<void> {
  const now = new Date();
  const row = await db.loginThrottle.findUnique({ where: { key }, select: { lastFailureAt: true } });
  const stale = row && now.getTime() - row.lastFailureAt.getTime() > forgetAfterMs;
  await db.loginThrottle.upsert({
    where: { key },
    create: { key, failures: 1, lastFailureAt: now },
    update: { failures: stale ? 1 : { increment: 1 }, lastFailureAt: now },
  });
  if (now.getTime() - lastPrunedAt > pruneEveryMs) {
    lastPrunedAt = now.getTime();
    await pruneSignInFailures({ now, maxRows });
  }
}

/** Deletes rows past the time failures are remembered, then the oldest beyond `maxRows`. */
export async function pruneSignInFailures({ now = new Date(), maxRows: limit = maxRows }: { now?: Date; maxRows?: number } = {}): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - forgetAfterMs) } } });
  const newestDropped = await db.loginThrottle.findFirst({ orderBy: { lastFailureAt: "desc" }, skip: limit, select: { lastFailureAt: true } });
  if (newestDropped) await db.loginThrottle.deleteMany({ where: { lastFailureAt: { lte: newestDropped.lastFailureAt } } });
}

export async function clearSignInFailures({ key }: { key: string }): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
