import "server-only";
import { db, type Tx } from "./index";

// Interactive transactions with room for SQLite's single writer to wait its turn.
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
}

/**
 * Runs `write` again (at most twice more) when PostgreSQL chose it as a deadlock's loser: its transaction was rolled
 * back whole, so running it again is safe. App processes writing beats and health of the same instances may still lock
 * rows in different orders, whatever order each statement takes them in.
 */
export async function retryOnDeadlock<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 3 || !/deadlock detected|40P01/.test(String(error))) throw error;
    }
  }
}
