import "server-only";
import { db } from "@/lib/db";

// Free attempts before sign-ins for an account name are slowed down, the longest wait, and how
// long after the last failure the count starts again (so a lockout does not last for good).
const freeFailures = 3;
const maxWaitMs = 5 * 60_000;
const forgetAfterMs = 15 * 60_000;

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
}

export async function clearSignInFailures({ key }: { key: string }): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
