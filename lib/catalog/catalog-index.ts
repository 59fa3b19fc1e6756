import "server-only";
import { EventEmitter } from "node:events";
import { db, type Tx } from "@/lib/db";
import { processSingleton } from "@/lib/process-singleton";

// The catalog index rises with every change to services and instances; blocking queries wait on it.
export async function bumpCatalogIndex(tx: Tx): Promise<number> {
  const counter = await tx.counter.update({ where: { name: "catalog" }, data: { value: { increment: 1 } } });
  return counter.value;
}

export async function getCatalogIndex(): Promise<number> {
  const counter = await db.counter.findUnique({ where: { name: "catalog" } });
  return counter?.value ?? 0;
}

const changes = processSingleton("meshdeck.catalog", () => new EventEmitter().setMaxListeners(0));

/** Tell waiters in this process that the catalog changed; call after the transaction commits. */
export function announceCatalogChange(service: string) {
  changes.emit("change", service);
}

// Other app processes change the catalog too; while someone waits, the database is looked at this often.
const pollMs = 500;

/**
 * Resolves once `readIndex()` passes `index`, or when `waitMs` runs out. Woken at once by changes
 * made in this process (to `service`, or to any service when it is left out), and by polling for
 * changes made by others.
 */
export async function waitForChange({
  service,
  index,
  waitMs,
  readIndex,
  signal,
}: {
  service?: string;
  index: number;
  waitMs: number;
  readIndex: () => Promise<number>;
  signal?: AbortSignal;
}): Promise<void> {
  if (signal?.aborted) return;
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(poll);
      changes.off("change", onChange);
      signal?.removeEventListener("abort", finish);
      resolve();
    };
    const check = () => void readIndex().then((now) => now > index && finish(), finish);
    const onChange = (changed: string) => (service === undefined || changed === service) && check();
    const deadline = setTimeout(finish, waitMs);
    const poll = setInterval(check, pollMs);
    // Listening before the first read, so a change between the two is not missed.
    changes.on("change", onChange);
    signal?.addEventListener("abort", finish);
    check();
  });
}
