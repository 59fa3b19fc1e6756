import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { managesSecrets, SECRET_MASK } from "../access";
import { contentBytes, describeProblem, validateContent } from "../formats/formats";
import { MAX_CONFIG_BYTES, type TConfigFormat, type TConfigRef } from "../schemas";
import { bumpConfigSeq } from "../watch/sequence";

export const refWhere = (ref: TConfigRef) => ({ namespace_group_key: { namespace: ref.namespace, group: ref.group, key: ref.key } });
export const refName = (ref: TConfigRef) => `${ref.namespace}/${ref.group}/${ref.key}`;

/** Refuses content over the size limit (413) or invalid for its format (422, with line and column). */
export function checkContent({ format, content }: { format: TConfigFormat; content: string }) {
  const bytes = contentBytes(content);
  if (bytes > MAX_CONFIG_BYTES)
    throw new AppError("payload_too_large", `content: ${bytes} bytes is over the limit of ${MAX_CONFIG_BYTES} bytes (100 KiB)`, "content");
  const problem = validateContent({ format, content });
  if (problem) throw new AppError("validation_failed", `content: invalid ${format} at ${describeProblem(problem)}`, "content");
}

/**
 * Opens a change to an item inside its transaction: takes the next change sequence (which also makes concurrent
 * changes take turns), checks the namespace, the secret rule and the version the change was based on.
 */
export async function openItemChange(tx: Tx, { actor, ref, baseVersion }: { actor: TActor; ref: TConfigRef; baseVersion?: number }) {
  const seq = await bumpConfigSeq(tx);
  if (!(await tx.configNamespace.findUnique({ where: { name: ref.namespace }, select: { name: true } }))) {
    throw new AppError("not_found", `namespace '${ref.namespace}' does not exist; an admin creates namespaces`, "namespace");
  }
  const item = await tx.configItem.findUnique({ where: refWhere(ref), include: { grays: { where: { state: "active" }, take: 1 } } });
  if (item?.secret && !managesSecrets(actor)) throw new AppError("forbidden", `${refName(ref)} is secret: only an admin can change it`, "secret");
  const live = item && !item.deletedAt && item.version > 0 ? item : null;
  const current = live?.version ?? 0;
  if (baseVersion !== undefined && baseVersion !== current) {
    const last =
      live &&
      (await tx.configVersion.findUnique({ where: { itemId_version: { itemId: live.id, version: current } }, select: { author: true, createdAt: true } }));
    const since = last
      ? `version ${current} was published by ${last.author} at ${last.createdAt.toISOString()}`
      : current === 0
        ? "it was deleted"
        : `it is at version ${current}`;
    throw new AppError(
      "conflict",
      `${refName(ref)} changed since you opened version ${baseVersion}: ${since}. Look at the difference and try again.`,
      "baseVersion",
    );
  }
  return { seq, item, live, gray: item?.grays[0] ?? null };
}

/** An active gray release blocks other changes until it is promoted or abandoned. */
export function refuseDuringGray(gray: { version: number } | null, ref: TConfigRef) {
  if (gray) throw new AppError("conflict", `a gray release of version ${gray.version} of ${refName(ref)} is in progress: promote or abandon it first`, "gray");
}

/** The audit event of a config change, its content masked when the item is secret. */
export async function auditConfigChange(
  tx: Tx,
  {
    actor,
    action,
    ref,
    secret,
    before,
    after,
    reason,
  }: {
    actor: TActor;
    action: string;
    ref: TConfigRef;
    secret: boolean;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown>;
    reason: string;
  },
) {
  const mask = (side: Record<string, unknown> | null | undefined) => (side && secret && "content" in side ? { ...side, content: SECRET_MASK } : side);
  await recordAudit(tx, { actor, action, target: `config/${refName(ref)}`, service: ref.group, before: mask(before) ?? undefined, after: mask(after), reason });
}

/** Drops versions past MESHDECK_CONFIG_HISTORY (when set), never the current or an active gray one. */
export async function pruneHistory(tx: Tx, { itemId, latest, keep }: { itemId: string; latest: number; keep: number[] }) {
  const limit = getEnv().MESHDECK_CONFIG_HISTORY;
  if (limit === 0) return;
  await tx.configVersion.deleteMany({ where: { itemId, version: { lte: latest - limit, notIn: keep } } });
}
