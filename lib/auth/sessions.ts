import "server-only";
import { db, type Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { refreshSsoSession } from "./sso-refresh";

// A session cookie is a JWT naming a Session row; the row decides whether the session is still alive, so ending it
// here ends it on every app process at once (they share the database). Each request reads the row with its user in
// one query by key, in place of the user read it replaces.

const minute = 60_000;
const pruneEveryMs = 10 * minute;
let lastPrunedAt = 0;

export function sessionLimits(): { idleMs: number; maxMs: number } {
  const env = getEnv();
  return { idleMs: env.MESHDECK_SESSION_IDLE_MINUTES * minute, maxMs: env.MESHDECK_SESSION_MAX_HOURS * 60 * minute };
}

// lastSeenAt is written at most this often per session, not on every request: a minute, or less for a short idle timeout.
function touchEveryMs(idleMs: number): number {
  return Math.min(minute, idleMs / 4);
}

/**
 * Starts a session for a user who has just signed in; returns its id, which the session cookie carries. A single
 * sign-on session keeps the provider's refresh token (sealed), with which its role is checked again now and then.
 */
export async function startSession({ userId, ssoRefreshToken = null }: { userId: string; ssoRefreshToken?: string | null }): Promise<string> {
  const now = new Date();
  const session = await db.session.create({
    data: { userId, lastSeenAt: now, expiresAt: new Date(now.getTime() + sessionLimits().maxMs), ssoRefreshToken, ssoCheckedAt: ssoRefreshToken ? now : null },
    select: { id: true },
  });
  if (now.getTime() - lastPrunedAt > pruneEveryMs) {
    lastPrunedAt = now.getTime();
    await pruneSessions({ now });
  }
  return session.id;
}

/** Deletes sessions that can no longer be used: past their absolute end, ended, or idle for longer than allowed. */
export async function pruneSessions({ now = new Date() }: { now?: Date } = {}): Promise<void> {
  const { idleMs } = sessionLimits();
  await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }, { lastSeenAt: { lt: new Date(now.getTime() - idleMs) } }] },
  });
}

const sessionUser = {
  id: true,
  name: true,
  email: true,
  role: true,
  disabledAt: true,
  mustChangePassword: true,
  theme: true,
  zone: true,
  ssoSubject: true,
} as const;

/** The user of a live session, or null when the session is unknown, ended, past its end, idle too long, or its user disabled. */
export async function getSessionUser({ id, now = new Date() }: { id: string; now?: Date }) {
  const session = await db.session.findUnique({
    where: { id },
    select: { id: true, lastSeenAt: true, expiresAt: true, revokedAt: true, ssoRefreshToken: true, ssoCheckedAt: true, user: { select: sessionUser } },
  });
  if (!session || session.revokedAt || session.user.disabledAt) return null;
  const { idleMs } = sessionLimits();
  const idle = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idle > idleMs) return null;
  if (idle > touchEveryMs(idleMs)) {
    // Conditional, so a session ended meanwhile (on another process) is not brought back.
    await db.session.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: now } });
  }
  const { ssoRefreshToken, ssoCheckedAt, user } = session;
  const refreshMs = getEnv().MESHDECK_OIDC_REFRESH_MINUTES * minute;
  if (!ssoRefreshToken || !ssoCheckedAt || !user.ssoSubject || now.getTime() - ssoCheckedAt.getTime() < refreshMs) return user;
  // One request refreshes; the others of the moment go on with the role as it is (a refresh token may be used once).
  const claimed = await db.session.updateMany({ where: { id, revokedAt: null, ssoCheckedAt }, data: { ssoCheckedAt: now } });
  if (claimed.count === 0) return user;
  const refreshed = await refreshSsoSession({ sealedRefreshToken: ssoRefreshToken, subject: user.ssoSubject, userId: user.id });
  if (refreshed.outcome === "refused") {
    await endSession({ id });
    return null;
  }
  if (refreshed.outcome === "unreachable") return user;
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { ssoRefreshToken: refreshed.sealedRefreshToken } });
  const current = await db.user.findUnique({ where: { id: user.id }, select: sessionUser });
  return current && !current.disabledAt ? current : null;
}

/** Ends one session (sign-out). */
export async function endSession({ id }: { id: string }): Promise<void> {
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a user but `except` (the one changing its own password), inside the change's transaction. */
export async function endUserSessions(tx: Tx, { userId, except }: { userId: string; except?: string }): Promise<number> {
  const ended = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
    data: { revokedAt: new Date() },
  });
  return ended.count;
}
