import { z } from "zod";
import { roleAllows, roles, type TRole } from "./roles";

export type TRoleMapping = { value: string; role: TRole }[];

// "mesh-admins=admin,mesh-ops=operator": claim values and the role each gives; a value may not map twice.
export const ZRoleMapping = z
  .string()
  .default("")
  .transform((text, ctx): TRoleMapping => {
    const mapping: TRoleMapping = [];
    for (const item of text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const at = item.lastIndexOf("=");
      const value = item.slice(0, at).trim();
      const role = item.slice(at + 1).trim();
      if (at <= 0 || !value) ctx.addIssue({ code: "custom", message: `'${item}' is not value=role, such as mesh-admins=admin` });
      else if (!roles.includes(role as TRole)) ctx.addIssue({ code: "custom", message: `'${role}' in '${item}' is not a role: ${roles.join(", ")}` });
      else if (mapping.some((entry) => entry.value === value)) ctx.addIssue({ code: "custom", message: `'${value}' is mapped twice` });
      else mapping.push({ value, role: role as TRole });
    }
    return mapping;
  });

// A claim is a string ("admins"), a list of strings (groups), or, at some providers, a space-separated string of them.
function claimValues(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(" ").filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === "string");
  return [];
}

/** The highest role the claim's values map to, or null when none maps (that person gets no access). */
export function mapRole({ claim, mapping }: { claim: unknown; mapping: TRoleMapping }): TRole | null {
  const values = new Set(claimValues(claim));
  let best: TRole | null = null;
  for (const entry of mapping) {
    if (values.has(entry.value) && (!best || !roleAllows({ role: best, needs: entry.role }))) best = entry.role;
  }
  return best;
}
