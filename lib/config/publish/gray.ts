import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { encodeStringList } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { auditConfigChange, checkContent, openItemChange, refName, refuseDuringGray } from "./item-change";
import { configNotifier } from "../watch/notifier";
import { writeVersion } from "./publish";
import type { TConfigRef, TGrayOutcome, TStartGray } from "../schemas";

/** Publishes new content to the chosen instances only (by id or tag), as the next version; the rest keep the current one. */
export async function startGray({ actor, ref, input }: { actor: TActor; ref: TConfigRef; input: TStartGray }) {
  const result = await transaction(async (tx) => {
    const opened = await openItemChange(tx, { actor, ref, baseVersion: input.baseVersion });
    if (!opened.live) throw new AppError("not_found", `${refName(ref)} has no published version yet: publish one for everyone first`, "key");
    refuseDuringGray(opened.gray, ref);
    const { format } = opened.live;
    checkContent({ format, content: input.content });
    const written = await writeVersion(tx, { actor, ref, opened, format, content: input.content, message: input.message, kind: "gray" });
    await tx.configGray.create({
      data: {
        itemId: written.itemId,
        version: written.version,
        instanceIds: encodeStringList(input.instances),
        tags: encodeStringList(input.tags),
        state: "active",
        startedBy: actor.name,
      },
    });
    return written;
  });
  configNotifier.announce();
  return { ...ref, version: result.version, current: result.current, instances: input.instances, tags: input.tags };
}

/** Ends the active gray release: promoted, its version becomes everyone's; abandoned, the chosen instances go back to the current one. */
export async function endGray({ actor, ref, outcome, message }: { actor: TActor; ref: TConfigRef; outcome: TGrayOutcome; message: string }) {
  const state = outcome === "promote" ? "promoted" : "abandoned";
  const result = await transaction(async (tx) => {
    const { seq, live, gray } = await openItemChange(tx, { actor, ref });
    if (!live || !gray) throw new AppError("not_found", `${refName(ref)} has no gray release in progress`, "gray");
    await tx.configGray.update({ where: { id: gray.id }, data: { state, endedBy: actor.name, endedAt: new Date() } });
    const version = outcome === "promote" ? gray.version : live.version;
    await tx.configItem.update({ where: { id: live.id }, data: { seq, version } });
    await auditConfigChange(tx, {
      actor,
      action: outcome === "promote" ? "config.gray-promote" : "config.gray-abandon",
      ref,
      secret: live.secret,
      before: { version: live.version, gray: gray.version },
      after: { version },
      reason: message,
    });
    return { version, gray: gray.version };
  });
  configNotifier.announce();
  // The answer says how it ended as the release's state does: "promoted" or "abandoned".
  return { ...ref, ...result, outcome: state };
}
