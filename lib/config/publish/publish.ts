import "server-only";
import type { TActor } from "@/lib/auth/actor";
import type { Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { contentDigest, sealSecret } from "@/lib/crypto/secret-box";
import { sealItemVersions } from "@/lib/crypto/reseal-secrets";
import { AppError } from "@/lib/errors";
import { managesSecrets } from "../access";
import { auditConfigChange, checkContent, openItemChange, pruneHistory, refName, refuseDuringGray, refWhere } from "./item-change";
import { configNotifier } from "../watch/notifier";
import type { TConfigFormat, TConfigRef, TPublishConfig, TRollbackConfig } from "../schemas";

type TVersionKind = "publish" | "rollback" | "import" | "gray";

/** Writes version `latest + 1` of an item (creating or reviving it), makes it current unless `gray`, and audits it. */
export async function writeVersion(
  tx: Tx,
  {
    actor,
    ref,
    opened,
    format,
    content,
    message,
    kind,
    secret,
    fromVersion,
  }: {
    actor: TActor;
    ref: TConfigRef;
    opened: Awaited<ReturnType<typeof openItemChange>>;
    format: TConfigFormat;
    content: string;
    message: string;
    kind: TVersionKind;
    secret?: boolean;
    fromVersion?: number;
  },
) {
  const { seq, item, live } = opened;
  const version = (item?.latest ?? 0) + 1;
  const isSecret = secret ?? item?.secret ?? false;
  const before = live
    ? await tx.configVersion.findUnique({ where: { itemId_version: { itemId: live.id, version: live.version } }, select: { content: true, format: true } })
    : null;
  if (kind !== "gray" && before && before.content === content && before.format === format && isSecret === live?.secret) {
    throw new AppError("validation_failed", `content: it is the same as the current version ${live.version}; there is nothing to publish`, "content");
  }
  const current = kind === "gray" ? (live?.version ?? 0) : version;
  const data = { format, secret: isSecret, version: current, latest: version, seq, deletedAt: kind === "gray" ? item?.deletedAt : null };
  const saved = item ? await tx.configItem.update({ where: { id: item.id }, data }) : await tx.configItem.create({ data: { ...ref, ...data } });
  await tx.configVersion.create({
    data: {
      itemId: saved.id,
      version,
      content: isSecret ? sealSecret(content) : content,
      sha256: contentDigest(content),
      format,
      author: actor.name,
      message,
      kind,
      fromVersion: fromVersion ?? null,
    },
  });
  // Made secret now: its older versions are sealed too, in the same transaction.
  if (item && isSecret && !item.secret) await sealItemVersions(tx, saved.id);
  await auditConfigChange(tx, {
    actor,
    action: kind === "gray" ? "config.gray-start" : `config.${kind}`,
    ref,
    secret: isSecret,
    before: before ? { version: live!.version, content: before.content, ...(item!.secret !== isSecret ? { secret: item!.secret } : {}) } : null,
    after: { version, content, ...(item?.secret !== isSecret ? { secret: isSecret } : {}), ...(fromVersion ? { fromVersion } : {}) },
    reason: message,
  });
  await pruneHistory(tx, { itemId: saved.id, latest: version, keep: [current, version] });
  return { itemId: saved.id, version, current, secret: isSecret };
}

/** Publishes new content as the next version, for everyone; refused when someone published since `baseVersion`. */
export async function publishConfig({ actor, ref, input }: { actor: TActor; ref: TConfigRef; input: TPublishConfig }) {
  checkContent(input);
  if (input.secret !== undefined && !managesSecrets(actor)) {
    throw new AppError("forbidden", "only an admin can mark an item secret or not", "secret");
  }
  const result = await transaction(async (tx) => {
    const opened = await openItemChange(tx, { actor, ref, baseVersion: input.baseVersion });
    refuseDuringGray(opened.gray, ref);
    return writeVersion(tx, {
      actor,
      ref,
      opened,
      format: input.format,
      content: input.content,
      message: input.message,
      kind: "publish",
      secret: input.secret,
    });
  });
  configNotifier.announce();
  return { ...ref, version: result.version, secret: result.secret };
}

/** Publishes an old version's content again, as a new version: history is never rewritten. */
export async function rollbackConfig({ actor, ref, input }: { actor: TActor; ref: TConfigRef; input: TRollbackConfig }) {
  const result = await transaction(async (tx) => {
    const opened = await openItemChange(tx, { actor, ref, baseVersion: input.baseVersion });
    refuseDuringGray(opened.gray, ref);
    if (!opened.item) throw new AppError("not_found", `${refName(ref)} does not exist`, "key");
    const old = await tx.configVersion.findUnique({ where: { itemId_version: { itemId: opened.item.id, version: input.version } } });
    if (!old) throw new AppError("not_found", `${refName(ref)} has no version ${input.version} (it never existed or is past the kept history)`, "version");
    return writeVersion(tx, {
      actor,
      ref,
      opened,
      format: old.format,
      content: old.content,
      message: input.message,
      kind: "rollback",
      fromVersion: old.version,
    });
  });
  configNotifier.announce();
  return { ...ref, version: result.version, fromVersion: input.version };
}

/** Deletes an item for clients (they see it gone); its history stays, and publishing the key again revives it. */
export async function deleteConfig({ actor, ref, input }: { actor: TActor; ref: TConfigRef; input: { message: string; baseVersion: number } }) {
  await transaction(async (tx) => {
    const opened = await openItemChange(tx, { actor, ref, baseVersion: input.baseVersion });
    if (!opened.live) throw new AppError("not_found", `${refName(ref)} does not exist`, "key");
    refuseDuringGray(opened.gray, ref);
    const last = await tx.configVersion.findUnique({
      where: { itemId_version: { itemId: opened.live.id, version: opened.live.version } },
      select: { content: true },
    });
    await tx.configItem.update({ where: refWhere(ref), data: { deletedAt: new Date(), seq: opened.seq } });
    await auditConfigChange(tx, {
      actor,
      action: "config.delete",
      ref,
      secret: opened.live.secret,
      before: { version: opened.live.version, content: last?.content ?? "" },
      reason: input.message,
    });
  });
  configNotifier.announce();
}
