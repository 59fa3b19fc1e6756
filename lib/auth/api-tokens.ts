import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { plainTextCheck } from "@/lib/plain-text";
import { processSingleton } from "@/lib/process-singleton";
import type { TActor } from "./actor";

const tokenPrefix = "mdk_";

export const ZCreateApiToken = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").check(plainTextCheck()),
  // May read config items marked secret through the config center's client API.
  readsSecrets: z.boolean().default(false),
});

// Tokens carry 256 random bits, so a fast hash is enough to store them safely (unlike passwords).
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token and returns it in full, the only time it is ever readable. */
export async function createApiToken({ actor, name, readsSecrets = false }: { actor: TActor; name: string; readsSecrets?: boolean }) {
  const token = tokenPrefix + randomBytes(32).toString("base64url");
  const record = await transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { name, prefix: token.slice(0, 12), tokenHash: hashToken(token), readsSecrets, createdById: actor.type === "user" ? actor.id : null },
      select: { id: true, name: true, prefix: true, readsSecrets: true, createdAt: true },
    });
    await recordAudit(tx, {
      actor,
      action: "api-token.create",
      target: `api-token/${created.id}`,
      after: { name, prefix: created.prefix, ...(readsSecrets ? { readsSecrets } : {}) },
    });
    return created;
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

export async function listApiTokens() {
  return db.apiToken.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      readsSecrets: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
  });
}

// Every heartbeat carries a token; a short cache keeps that lookup off the database.
const cacheMs = 5000;
const lastUsedEveryMs = 60_000;
type TCached = { actor: TActor & { type: "token" }; until: number };
const tokenCache = processSingleton("meshdeck.tokenCache", () => ({ entries: new Map<string, TCached>(), generation: 0 }));

// A lookup that started before a revocation must not put the token back in the cache.
function forgetCachedTokens() {
  tokenCache.entries.clear();
  tokenCache.generation += 1;
}

export async function authenticateApiToken({ token }: { token: string }): Promise<(TActor & { type: "token" }) | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  const tokenHash = hashToken(token);
  const now = Date.now();
  const cached = tokenCache.entries.get(tokenHash);
  if (cached && cached.until > now) return cached.actor;
  const generation = tokenCache.generation;
  const row = await db.apiToken.findUnique({ where: { tokenHash }, select: { id: true, name: true, revokedAt: true, lastUsedAt: true, readsSecrets: true } });
  if (!row || row.revokedAt) {
    tokenCache.entries.delete(tokenHash);
    return null;
  }
  if (now - (row.lastUsedAt?.getTime() ?? 0) > lastUsedEveryMs) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const actor = { type: "token" as const, id: row.id, name: row.name, readsSecrets: row.readsSecrets };
  if (generation === tokenCache.generation) tokenCache.entries.set(tokenHash, { actor, until: now + cacheMs });
  return actor;
}
