import type { TActor } from "@/lib/auth/actor";

/** Admins manage secrets and namespaces. */
export function isAdmin(actor: TActor): boolean {
  return actor.type === "user" && actor.role === "admin";
}

/** Secret content is readable by admins and by API tokens allowed to read secrets. */
export function canReadSecrets(actor: TActor): boolean {
  return isAdmin(actor) || (actor.type === "token" && actor.readsSecrets === true);
}

export const SECRET_MASK = "••••••••";

/** The content as this viewer may see it. */
export function maskFor<T extends string | null>(actor: TActor, secret: boolean, content: T): T | typeof SECRET_MASK {
  return secret && content !== null && !canReadSecrets(actor) ? SECRET_MASK : content;
}
