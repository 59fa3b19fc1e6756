import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { decodeGrants, encodeGrants } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { ZDuration } from "@/lib/duration";
import { AppError } from "@/lib/errors";
import { pageSize } from "@/lib/pagination/cursor";
import { pageOf, skipTake, type TNumberedPage } from "@/lib/pagination/numbered";
import { plainTextCheck } from "@/lib/plain-text";
import { processSingleton } from "@/lib/process-singleton";
import type { TActor } from "./actor";
import { ZGrants } from "./grants";
import { serviceTokenGrants, type TGrant } from "./permissions";

const tokenPrefix = "mdk_";

export const ZCreateApiToken = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()),
  // What it may do (docs/api-tokens.md); left out, what a service needs: register, discover, read events and config.
  permissions: ZGrants.default(serviceTokenGrants),
  // After this long it is refused (401); left out, it lasts until revoked.
  expiresIn: ZDuration.pipe(
    z
      .number()
      .min(1000, "must be at least 1s")
      .max(3660 * 86_400_000, "must be at most 3660d"),
  ).optional(),
});
export type TCreateApiToken = z.infer<typeof ZCreateApiToken>;

// Tokens carry 256 random bits, so a fast hash is enough to store them safely (unlike passwords).
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token and returns it in full, the only time it is ever readable. */
export async function createApiToken({
  actor,
  name,
  permissions = serviceTokenGrants,
  expiresIn,
}: {
  actor: TActor;
  name: string;
  permissions?: TGrant[];
  expiresIn?: number;
}) {
  const token = tokenPrefix + randomBytes(32).toString("base64url");
  const expiresAt = expiresIn === undefined ? null : new Date(Date.now() + expiresIn);
  const record = await transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name,
        prefix: token.slice(0, 12),
        tokenHash: hashToken(token),
        permissions: encodeGrants(permissions),
        expiresAt,
        createdById: actor.type === "user" ? actor.id : null,
      },
      select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true },
    });
    await recordAudit(tx, {
      actor,
      action: "api-token.create",
      target: `api-token/${created.id}`,
      after: { name, prefix: created.prefix, permissions, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
    });
    return { ...created, permissions };
  });
  return { token, record };
}

export async function revokeApiToken({ actor, id }: { actor: TActor; id: string }) {
  await transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id }, select: { name: true, prefix: true, revokedAt: true } });
    if (!token) throw new AppError("not_found", "no such API token", "id");
    if (token.revokedAt) throw new AppError("conflict", "the token is already revoked", "id");
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { actor, action: "api-token.revoke", target: `api-token/${id}`, before: { name: token.name, prefix: token.prefix } });
  });
  forgetCachedTokens();
}

/** Revokes every live token of this name, for tokens Meshdeck issues to itself at each start; idempotent. */
export async function revokeApiTokensNamed({ actor, name }: { actor: TActor; name: string }) {
  await transaction(async (tx) => {
    const live = await tx.apiToken.findMany({ where: { name, revokedAt: null }, select: { id: true, prefix: true } });
    await tx.apiToken.updateMany({ where: { id: { in: live.map(({ id }) => id) }, revokedAt: null }, data: { revokedAt: new Date() } });
    for (const { id, prefix } of live) await recordAudit(tx, { actor, action: "api-token.revoke", target: `api-token/${id}`, before: { name, prefix } });
  });
  forgetCachedTokens();
}

export async function listApiTokens(paged: TNumberedPage = { page: 1, limit: pageSize }) {
  // A page at a time, active first: a token per service is a thousand rows.
  const [total, rows] = await Promise.all([
    db.apiToken.count(),
    db.apiToken.findMany({
      ...skipTake(paged),
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        name: true,
        prefix: true,
        permissions: true,
        expiresAt: true,
        createdAt: true,
        lastUsedAt: true,
        revokedAt: true,
        createdBy: { select: { email: true } },
      },
    }),
  ]);
  const now = Date.now();
  return {
    tokens: rows.map((row) => ({ ...row, permissions: decodeGrants(row.permissions), expired: row.expiresAt !== null && row.expiresAt.getTime() <= now })),
    ...pageOf(total, paged),
  };
}

// Every heartbeat carries a token: verified tokens are kept here, so a request costs a lookup, no query. Kept by the
// token as sent (it is in this process's memory with each request anyway): hashing it for the lookup was 2 % of a beat.
// A revocation anywhere shows as a rise in the number of revoked tokens (tokens are never deleted, and a revoked one
// stays revoked), looked at once a second by each process: every kept token is dropped then, so a token revoked
// through another app process stops working here within about a second. Should that look fail, nothing kept is
// trusted past `trustMs`. A kept token is read again after `maxAgeMs`, which also moves its lastUsedAt.
const revocationPollMs = 1000;
const trustMs = 3000;
const maxAgeMs = 60_000;
const maxEntries = 10_000;
type TTokenActor = TActor & { type: "token" };
// expiresAt: Date.now() past which the token is refused, kept or not.
type TCached = { actor: TTokenActor; verifiedAt: number; expiresAt: number };
const tokenCache = processSingleton("meshdeck.tokenCache", () => ({
  entries: new Map<string, TCached>(),
  reading: new Map<string, Promise<TTokenActor | null>>(),
  // Bumped whenever the kept tokens are dropped: a lookup that started before must not put its token back.
  generation: 0,
  revokedCount: undefined as number | undefined,
  // performance.now(), as are the times below: a clock set back must not extend trust.
  checkedAt: -Infinity,
  timer: undefined as NodeJS.Timeout | undefined,
}));

function forgetCachedTokens() {
  tokenCache.entries.clear();
  tokenCache.generation += 1;
}

/** Drops every kept token if any token was revoked since the last look (by any process); runs once a second. */
export async function checkTokenRevocations() {
  const startedAt = performance.now();
  try {
    const revoked = await db.apiToken.count({ where: { revokedAt: { not: null } } });
    if (revoked !== tokenCache.revokedCount) {
      forgetCachedTokens();
      tokenCache.revokedCount = revoked;
    }
    tokenCache.checkedAt = Math.max(tokenCache.checkedAt, startedAt);
  } catch {
    // The database did not answer: kept tokens stop being trusted after trustMs, and the next look tries again.
  }
}

function watchRevocations() {
  if (tokenCache.timer) return;
  tokenCache.timer = setInterval(() => void checkTokenRevocations(), revocationPollMs);
  tokenCache.timer.unref();
  void checkTokenRevocations();
}

/**
 * The caller of `token` when it is kept and trusted now, answered without waiting (a heartbeat answered from
 * memory); undefined when it must be read (authenticateApiToken does).
 */
export function knownApiToken(token: string): TTokenActor | undefined {
  const cached = tokenCache.entries.get(token);
  const now = performance.now();
  return cached && now - cached.verifiedAt < maxAgeMs && now - tokenCache.checkedAt < trustMs && Date.now() < cached.expiresAt ? cached.actor : undefined;
}

export async function authenticateApiToken({ token }: { token: string }): Promise<TTokenActor | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  watchRevocations();
  const known = knownApiToken(token);
  if (known) return known;
  // The requests of one client arriving together share one read.
  const pending = tokenCache.reading.get(token);
  if (pending) return pending;
  const reading = verifyToken(token, performance.now()).finally(() => tokenCache.reading.delete(token));
  tokenCache.reading.set(token, reading);
  return reading;
}

async function verifyToken(token: string, now: number): Promise<TTokenActor | null> {
  const generation = tokenCache.generation;
  const trusted = now - tokenCache.checkedAt < trustMs;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, name: true, revokedAt: true, expiresAt: true, lastUsedAt: true, permissions: true },
  });
  const expiresAt = row?.expiresAt?.getTime() ?? Infinity;
  if (!row || row.revokedAt || Date.now() >= expiresAt) {
    tokenCache.entries.delete(token);
    return null;
  }
  const at = Date.now();
  if (at - (row.lastUsedAt?.getTime() ?? 0) > maxAgeMs) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(at) } });
  }
  const actor = { type: "token" as const, id: row.id, name: row.name, grants: decodeGrants(row.permissions) };
  // Kept only while the revocation watch is current and saw no revocation since the read began.
  if (trusted && generation === tokenCache.generation) {
    tokenCache.entries.delete(token);
    tokenCache.entries.set(token, { actor, verifiedAt: now, expiresAt });
    for (const oldest of tokenCache.entries.keys()) {
      if (tokenCache.entries.size <= maxEntries) break;
      tokenCache.entries.delete(oldest);
    }
  }
  return actor;
}
