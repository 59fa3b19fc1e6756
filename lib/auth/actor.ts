import type { TGrant } from "./permissions";
import type { TRole } from "./roles";

// Who is acting: a signed-in user, a service holding an API token (with what it was granted), or Meshdeck itself.
export type TActor =
  | { type: "user"; id: string; name: string; role: TRole }
  | { type: "token"; id: string; name: string; grants: readonly TGrant[] }
  | { type: "system"; name: string };

export function actorRecord(actor: TActor) {
  return { actorType: actor.type, actorId: actor.type === "system" ? null : actor.id, actorName: actor.name };
}
