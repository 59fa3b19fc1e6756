import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { transaction } from "@/lib/db/transaction";
import { allowLinkLocalKey, forgetAllowLinkLocal } from "./address-guard";

/** Link-local and cloud-metadata check targets are refused unless an admin allows them here. */
export async function setAllowLinkLocal({ actor, allow }: { actor: TActor; allow: boolean }) {
  await transaction(async (tx) => {
    const before = (await tx.setting.findUnique({ where: { key: allowLinkLocalKey } }))?.value === "true";
    await tx.setting.upsert({ where: { key: allowLinkLocalKey }, create: { key: allowLinkLocalKey, value: String(allow) }, update: { value: String(allow) } });
    await recordAudit(tx, { actor, action: "settings.checks.allow-link-local", target: `setting/${allowLinkLocalKey}`, before, after: allow });
  });
  forgetAllowLinkLocal();
}
