import type { TActor } from "@/lib/auth/actor";
import { can, permits } from "@/lib/auth/permissions";

/** Users allowed to (admins) mark items secret, read and change them. */
export function managesSecrets(actor: TActor): boolean {
  return actor.type === "user" && can({ role: actor.role, permission: "config.secrets" });
}

/** Secret content is readable by admins and by API tokens granted config.secrets. */
export function canReadSecrets(actor: TActor): boolean {
  return managesSecrets(actor) || (actor.type === "token" && permits({ actor, permission: "config.secrets" }));
}

export const SECRET_MASK = "••••••••";

/** The content as this viewer may see it. */
export function maskFor<T extends string | null>(actor: TActor, secret: boolean, content: T): T | typeof SECRET_MASK {
  return secret && content !== null && !canReadSecrets(actor) ? SECRET_MASK : content;
}
