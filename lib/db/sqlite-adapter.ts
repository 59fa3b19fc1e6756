import type { Client, Config, InStatement, Transaction, TransactionMode } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";

/**
 * How long a statement waits for another connection's write lock (another process on the same file: a second app,
 * a collector, a test or a hand edit) before it fails with SQLITE_BUSY. libsql's default is not to wait at all.
 * The wait blocks this process (libsql runs statements synchronously), so it is kept to a few seconds.
 */
export const sqliteBusyTimeoutMs = 5_000;

/**
 * Prisma's libsql adapter, with three things that keep one SQLite failure from taking the whole app down:
 *
 * - Every connection waits for a busy lock (`PRAGMA busy_timeout`). @libsql/client opens a new connection after
 *   each interactive transaction (the transaction keeps the old one), so the pragmas are set on each new one.
 * - A statement that failed (SQLITE_BUSY above all) is left open on its connection by libsql. The next interactive
 *   transaction takes that connection and can then never commit ("cannot commit transaction - SQL statements in
 *   progress"), so after a failed statement the client starts over on a new connection.
 * - A COMMIT that fails is rolled back. Prisma counts a transaction whose commit failed as closed and never rolls it
 *   back; left open, it would hold SQLite's write lock for good, and every later write would time out.
 */
export class GuardedPrismaLibSql extends PrismaLibSql {
  readonly #busyTimeoutMs: number;

  constructor(config: Config, { busyTimeoutMs = sqliteBusyTimeoutMs }: { busyTimeoutMs?: number } = {}) {
    super(config);
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  override createClient(config: Config): Client {
    return guardClient(super.createClient(config), this.#busyTimeoutMs);
  }
}

function guardClient(client: Client, busyTimeoutMs: number): Client {
  // The connection the client uses next: set up yet (busy timeout), and free of failed statements.
  let fresh = true;
  let spoiled = false;

  async function ready() {
    if (spoiled) {
      spoiled = false;
      fresh = true;
      // Closes the spoiled connection; the next statement opens a new one.
      client.reconnect();
    }
    if (fresh) {
      fresh = false;
      // In WAL mode (migrate.ts), NORMAL syncs at checkpoints, not at each commit: a commit survives the process
      // being killed (kill -9), as the API promises, though not the machine losing power; FULL's sync per commit
      // blocked the event loop for milliseconds at each transaction.
      await client.executeMultiple(`PRAGMA busy_timeout = ${busyTimeoutMs}; PRAGMA synchronous = NORMAL;`);
    }
  }

  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    await ready();
    try {
      return await run();
    } catch (error) {
      spoiled = !client.closed;
      throw error;
    }
  }

  const overrides: Partial<Client> = {
    execute: (statement: InStatement) => guarded(() => client.execute(statement)),
    executeMultiple: (sql: string) => guarded(() => client.executeMultiple(sql)),
    transaction: async (mode?: TransactionMode) => {
      const tx = await guarded(() => client.transaction(mode));
      // The transaction took the connection; the client opens a new one for what comes next.
      fresh = true;
      return guardTransaction(tx);
    },
  };
  return withOverrides(client, overrides);
}

function guardTransaction(tx: Transaction): Transaction {
  const commit = async () => {
    try {
      await tx.commit();
    } catch (error) {
      await tx.rollback().catch(() => undefined);
      throw error;
    }
  };
  return withOverrides(tx, { commit });
}

// `target` with some methods replaced. @libsql/client keeps its connection in private fields, so its own methods
// must run on itself, not on the proxy.
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (key in overrides) return overrides[key as keyof T];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
