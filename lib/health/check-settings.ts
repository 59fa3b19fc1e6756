import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";

// Link-local and cloud-metadata addresses are refused as check targets unless an admin allows them.
export const allowLinkLocalKey = "checks.allow_link_local";

export async function getAllowLinkLocal(): Promise<boolean> {
  return (await db.setting.findUnique({ where: { key: allowLinkLocalKey } }))?.value === "true";
}

export async function setAllowLinkLocal({ actor, allow }: { actor: TActor; allow: boolean }) {
  await transaction(async (tx) => {
    const before = (await tx.setting.findUnique({ where: { key: allowLinkLocalKey } }))?.value === "true";
    await tx.setting.upsert({ where: { key: allowLinkLocalKey }, create: { key: allowLinkLocalKey, value: String(allow) }, update: { value: String(allow) } });
    await recordAudit(tx, { actor, action: "settings.checks.allow-link-local", target: `setting/${allowLinkLocalKey}`, before, after: allow });
  });
}
