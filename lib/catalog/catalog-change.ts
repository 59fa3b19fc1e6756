import "server-only";
import { db, type Tx } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { transaction } from "@/lib/db/transaction";
import { announceCatalogChange, bumpAndStampAtOnce, bumpCatalogIndex, stampCatalogIndex, withStamping, type TInsert } from "./catalog-index";
import { recordTrafficChanges, type TTrafficChange } from "./record-traffic-change";

/** What a write to the catalog tells `catalogChange` while it runs. */
export type TCatalogChange = {
  /** The catalog index this change writes as modifyIndex: the first call bumps it (locking the counter), later calls return the same. */
  index: () => Promise<number>;
  /**
   * The index taken as late as can be, for a write that locks no row another change may lock first (new instances
   * of existing services): the counter row, which every change of every process takes in turn, is held only for its
   * last statements and the commit. The write stores `pendingIndex` as the modifyIndex of the rows it names here,
   * which get the index once it is taken. Answers it then (the write must not wait for it).
   */
  indexAtEnd: (rows: TStamped) => Promise<number>;
  /** The service changed: its waiters are woken once the change commits. */
  touched: (service: string) => void;
  /**
   * Notes one instance's change for the traffic story (a failover, an outage...), written once the write returns, in
   * the same transaction: per service, one instance's change tells its own story, many tell one. Its service counts as touched.
   */
  traffic: (change: TTrafficChange) => Promise<void>;
};

/**
 * The rows whose modifyIndex a change stamps once it takes its index (see indexAtEnd), and rows it inserts then, each
 * with the index as its `modifyIndex` where it has one: on PostgreSQL in the statement that takes the index.
 */
export type TStamped = {
  instances: string[];
  services: string[];
  inserts?: TInsert[];
  /** Services that must take traffic as the rows go in, or none does (catalogChangeAtOnce: a story none would tell). */
  serving?: string[];
};

/** The modifyIndex a write stores for its rows until the index is taken: seen by no one, the rows not yet committed. */
export const pendingIndex = 0;

/**
 * Every change to services and instances goes through here (the hot-path timestamps aside, see write-observations):
 * one transaction, the catalog index bumped at most once, the traffic story written with it, and the touched
 * services announced only after it commits.
 */
export async function catalogChange<T>(write: (tx: Tx, change: TCatalogChange) => Promise<T>): Promise<T> {
  return runChange(write, async (tx, traffic) => recordTrafficChanges(tx, traffic));
}

/**
 * A change written in one statement outside a transaction (PostgreSQL): one that only inserts rows and stamps others
 * as it takes its index (indexAtEnd), reads and writes nothing itself, and tells no story. The statement bumps the
 * counter, inserts and stamps, and commits on its own: the counter, which every change of every process takes in turn,
 * is held for no round trip, and a registration batch is one round trip instead of four. Answers undefined, nothing
 * written, when the statement failed (a row inserted meanwhile, a service of `serving` no longer taking traffic):
 * the caller makes the change in a transaction then.
 */
export async function catalogChangeAtOnce<T>(write: (tx: Tx, change: TCatalogChange) => Promise<T>): Promise<T | undefined> {
  const touched = new Set<string>();
  const stamped: TStamped[] = [];
  let taken: (value: number) => void = () => undefined;
  const atEnd = new Promise<number>((resolve) => (taken = resolve));
  const refused = () => Promise.reject(new Error("a change made at once takes its index at its end and tells no story"));
  const change: TCatalogChange = {
    index: refused,
    indexAtEnd: (rows) => {
      stamped.push(rows);
      return atEnd;
    },
    touched: (service) => void touched.add(service),
    traffic: refused,
  };
  const written = await write(db, change);
  const inserts = stamped.flatMap((rows) => rows.inserts ?? []);
  if (stamped.length === 0 || !withStamping(stamped, inserts)) throw new Error("a change made at once inserts at its end, in one statement");
  const value = await bumpAndStampAtOnce(db, stamped, inserts).catch(() => undefined);
  if (value === undefined) return undefined;
  taken(value);
  for (const service of touched) announceCatalogChange(service);
  return written;
}

/** One transaction of a change; `story` is handed the traffic noted in it, still inside the transaction. */
async function runChange<T>(write: (tx: Tx, change: TCatalogChange) => Promise<T>, story: (tx: Tx, traffic: TTrafficChange[]) => Promise<unknown>): Promise<T> {
  const touched = new Set<string>();
  const result = await transaction(async (tx) => {
    let index: Promise<number> | undefined;
    const traffic: TTrafficChange[] = [];
    const stamped: TStamped[] = [];
    let taken: (value: number) => void = () => undefined;
    const atEnd = new Promise<number>((resolve) => (taken = resolve));
    const change: TCatalogChange = {
      index: () => (index ??= bumpCatalogIndex(tx)),
      indexAtEnd: (rows) => {
        stamped.push(rows);
        return atEnd;
      },
      touched: (service) => void touched.add(service),
      traffic: (noted) => {
        touched.add(noted.service);
        traffic.push(noted);
        return Promise.resolve();
      },
    };
    const written = await write(tx, change);
    // The rows inserted at the end go in with the stamping statement when nothing reads them before (a story does).
    const inserts = stamped.flatMap((rows) => rows.inserts ?? []);
    const together = traffic.length === 0 && index === undefined && withStamping(stamped, inserts);
    if (!together && inserts.length > 0) {
      const value = await change.index();
      for (const { table, rows } of inserts)
        await insertRows(tx, { table, rows: rows.map((row) => ("modifyIndex" in row ? { ...row, modifyIndex: value } : row)) });
    }
    // The story's rows (incidents, failover events) are locked after the counter, as every change locks them.
    if (stamped.length > 0 && traffic.length > 0) await change.index();
    await story(tx, traffic);
    // Bumped here unless the story took it: on PostgreSQL in the stamping statement itself.
    if (stamped.length > 0) {
      index = stampCatalogIndex(tx, index, stamped, together ? inserts : []);
      taken(await index);
    }
    return written;
  });
  for (const service of touched) announceCatalogChange(service);
  return result;
}

/**
 * A change too large for one short transaction (thousands of instances leaving at once) in steps, one transaction
 * each, the event loop let go between them: on SQLite every other query waits while a transaction is open, so
 * steps stay short and the app keeps answering. The traffic story of all the steps is told once, after the last
 * (or after the last that committed, when one fails): a lease expiring with 2,000 keys is one failover event.
 */
export async function catalogChangeInSteps<P>(parts: P[], write: (tx: Tx, change: TCatalogChange, part: P) => Promise<void>): Promise<void> {
  const committed: TTrafficChange[] = [];
  try {
    for (const part of parts) {
      let noted: TTrafficChange[] = [];
      await runChange(
        (tx, change) => write(tx, change, part),
        async (_tx, traffic) => void (noted = traffic),
      );
      committed.push(...noted);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (committed.length > 0) await transaction((tx) => recordTrafficChanges(tx, committed));
  }
}
