import "server-only";
import { db, type Tx } from "./index";

// Interactive transactions with room for SQLite's single writer to wait its turn.
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
}
