import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { log } from "@/lib/log";
import { forbiddenCharacter } from "@/lib/plain-text";
import type { TActor } from "./actor";
import { adminsRemainWithout } from "./admins-remain";
import { mapRole } from "./role-mapping";
import type { TRole } from "./roles";
import type { TSsoSettings } from "./sso";

// Why a person the provider vouched for is still refused; app/(auth)/login/error explains each.
export type TSsoRefusal = "no-role" | "no-email" | "local-account" | "disabled";
export type TSsoPerson = { issuer: string; subject: string; email: string; name: string; role: TRole };

const actor: TActor = { type: "system", name: "single sign-on" };
const selected = { id: true, email: true, name: true, role: true, disabledAt: true } as const;

async function provision(tx: Tx, person: TSsoPerson): Promise<{ id: string } | { refused: TSsoRefusal }> {
  const { issuer, subject, email, name, role } = person;
  const known = await tx.user.findUnique({ where: { ssoIssuer_ssoSubject: { ssoIssuer: issuer, ssoSubject: subject } }, select: selected });
  // An address held by another account (a local one, or another subject) is never taken over by a sign-in.
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (holder && holder.id !== known?.id) return { refused: "local-account" };
  if (!known) {
    const user = await tx.user.create({ data: { email, name, role, passwordHash: "", ssoIssuer: issuer, ssoSubject: subject }, select: selected });
    await recordAudit(tx, { actor, action: "user.create", target: `user/${user.id}`, after: { email, name, role, sso: issuer } });
    return { id: user.id };
  }
  if (known.disabledAt) return { refused: "disabled" };
  if (known.role === "admin" && role !== "admin" && !(await adminsRemainWithout(tx, { id: known.id }))) {
    // As for a local demotion: the install is never left without an administrator, so this one stays one.
    const reason = `the provider's claim maps to ${role}, but this is the last administrator`;
    log.warn(`single sign-on: ${email} keeps the admin role: ${reason}`);
    await recordAudit(tx, {
      actor,
      action: "user.role.kept",
      target: `user/${known.id}`,
      before: { email: known.email, role: known.role },
      after: { email, role: "admin" },
      reason,
    });
    return provision(tx, { ...person, role: "admin" });
  }
  if (known.role !== role || known.email !== email || known.name !== name) {
    await tx.user.update({ where: { id: known.id }, data: { role, email, name } });
    const target = `user/${known.id}`;
    if (known.role !== role)
      await recordAudit(tx, { actor, action: "user.role", target, before: { email: known.email, role: known.role }, after: { email, role } });
  }
  return { id: known.id };
}

/**
 * Makes or updates the Meshdeck user of a person signing in through the provider, with the role their claim maps to
 * now: provisioned at first sign-in, role re-applied at every one after.
 */
export async function provisionSsoUser(person: TSsoPerson): Promise<{ id: string } | { refused: TSsoRefusal }> {
  try {
    return await transaction((tx) => provision(tx, person));
  } catch (error) {
    // Two first sign-ins of one person at once: the loser finds the winner's row.
    if (!/Unique constraint|P2002/.test(String(error))) throw error;
    return transaction((tx) => provision(tx, person));
  }
}

// The claims of an ID token Auth.js has already validated (signature, issuer, audience, nonce).
function idTokenClaims(idToken: unknown): Record<string, unknown> {
  if (typeof idToken !== "string") return {};
  try {
    return JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

// A claim as plain text, or undefined: a value with control or bidi characters is not shown or stored as a name.
const text = (value: unknown) => (typeof value === "string" && value.trim() && !forbiddenCharacter(value) ? value.trim() : undefined);

/**
 * Admits a person the provider has just vouched for: their role from the claim (in userinfo, else in the ID token),
 * then their Meshdeck user. Returns the user id, or why they are refused.
 */
export async function admitSsoPerson({
  settings,
  userinfo,
  idToken,
}: {
  settings: TSsoSettings;
  userinfo: Record<string, unknown>;
  idToken: unknown;
}): Promise<{ id: string } | { refused: TSsoRefusal }> {
  const claims = { ...idTokenClaims(idToken), ...userinfo };
  const role = mapRole({ claim: claims[settings.roleClaim], mapping: settings.roles });
  if (!role) return { refused: "no-role" };
  const subject = text(claims.sub);
  const email = text(claims.email)?.toLowerCase();
  if (!subject || !email || email.length > 254) return { refused: "no-email" };
  const name = (text(claims.name) ?? text(claims.preferred_username) ?? email.split("@")[0] ?? email).slice(0, 100);
  return provisionSsoUser({ issuer: settings.issuer, subject, email, name, role });
}
