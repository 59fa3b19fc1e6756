import "server-only";
import { db, type Tx } from "@/lib/db";

// The config change sequence rises with every change to items, gray releases and namespaces; watchers wait past it.
// The counter row is locked by the update until the transaction commits, so changes take turns and commit in order.
export async function bumpConfigSeq(tx: Tx): Promise<number> {
  const counter = await tx.counter.update({ where: { name: "config" }, data: { value: { increment: 1 } } });
  return counter.value;
}

export async function getConfigSeq(): Promise<number> {
  const counter = await db.counter.findUnique({ where: { name: "config" } });
  return counter?.value ?? 0;
}
