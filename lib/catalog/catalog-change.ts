import "server-only";
import type { Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { announceCatalogChange, bumpCatalogIndex } from "./catalog-index";
import { recordTrafficChanges, type TTrafficChange } from "./record-traffic-change";

/** What a write to the catalog tells `catalogChange` while it runs. */
export type TCatalogChange = {
  /** The catalog index this change writes as modifyIndex: the first call bumps it (locking the counter), later calls return the same. */
  index: () => Promise<number>;
  /** The service changed: its waiters are woken once the change commits. */
  touched: (service: string) => void;
  /**
   * Notes one instance's change for the traffic story (a failover, an outage...), written once the write returns, in
   * the same transaction: per service, one instance's change tells its own story, many tell one. Its service counts as touched.
   */
  traffic: (change: TTrafficChange) => Promise<void>;
};

/**
 * Every change to services and instances goes through here (the hot-path timestamps aside, see write-observations):
 * one transaction, the catalog index bumped at most once, the traffic story written with it, and the touched
 * services announced only after it commits.
 */
export async function catalogChange<T>(write: (tx: Tx, change: TCatalogChange) => Promise<T>): Promise<T> {
  const touched = new Set<string>();
  const result = await transaction(async (tx) => {
    let index: Promise<number> | undefined;
    const traffic: TTrafficChange[] = [];
    const change: TCatalogChange = {
      index: () => (index ??= bumpCatalogIndex(tx)),
      touched: (service) => void touched.add(service),
      traffic: (noted) => {
        touched.add(noted.service);
        traffic.push(noted);
        return Promise.resolve();
      },
    };
    const written = await write(tx, change);
    await recordTrafficChanges(tx, traffic);
    return written;
  });
  for (const service of touched) announceCatalogChange(service);
  return result;
}
