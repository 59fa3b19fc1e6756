import { z } from "zod";

export const roles = ["admin", "operator", "viewer"] as const;
export const ZRole = z.enum(roles);
export type TRole = z.infer<typeof ZRole>;

// What each role may do; the server checks this on every page, action and API call.
const rank: Record<TRole, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows({ role, needs }: { role: TRole; needs: TRole }): boolean {
  return rank[role] >= rank[needs];
}
