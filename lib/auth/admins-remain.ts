import "server-only";
import type { Tx } from "@/lib/db";
import { isPostgres } from "@/lib/env";

/**
 * Whether an enabled administrator other than `id` remains: the last-admin guard of local user management and of
 * single sign-on's role mapping. On PostgreSQL the admin rows are locked first, so two demotions at once cannot both pass.
 */
export async function adminsRemainWithout(tx: Tx, { id }: { id: string }): Promise<boolean> {
  if (isPostgres()) await tx.$queryRaw`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
  return (await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: id } } })) > 0;
}
