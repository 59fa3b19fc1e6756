import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { db } from "@/lib/db";

// Each collector renews its row every second; one not renewed for 3 s is dead and its instances
// move to the others (three missed renewals, so a slow query does not hand them over).
export const leaseRenewMs = 1000;
export const leaseLiveMs = 3000;
// Rows of collectors dead this long are deleted, so the table holds only recent ones.
const leaseForgetMs = 60_000;

export function newCollectorId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/**
 * Renews this collector's lease and returns the ids of the live collectors, this one included. Two plain statements
 * once the row exists: through the ORM, this once-a-second pair was the largest part of an idle collector's time.
 */
export async function renewLease({ id }: { id: string }): Promise<string[]> {
  const now = new Date();
  const renewed = await db.$executeRaw`UPDATE "CollectorLease" SET "renewedAt" = ${now} WHERE "id" = ${id}`;
  if (renewed === 0) await db.collectorLease.create({ data: { id, host: hostname(), pid: process.pid, startedAt: now, renewedAt: now } });
  const live = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "CollectorLease" WHERE "renewedAt" >= ${new Date(now.getTime() - leaseLiveMs)}`;
  return live.map((lease) => lease.id);
}

export async function forgetDeadLeases() {
  await db.collectorLease.deleteMany({ where: { renewedAt: { lt: new Date(Date.now() - leaseForgetMs) } } });
}

/** On a clean stop: the others take this collector's instances at their next refresh. */
export async function releaseLease({ id }: { id: string }) {
  await db.collectorLease.deleteMany({ where: { id } });
}
