import { LibsqlError, type Client, type Config, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { log } from "@/lib/log";

/**
 * How long a statement waits for another connection's write lock (another process on the same file: a second app,
 * a collector, a test or a hand edit) before it fails with SQLITE_BUSY. libsql's default is not to wait at all.
 * The wait blocks this process (libsql runs statements synchronously), so it is kept to a few seconds.
 */
export const sqliteBusyTimeoutMs = 5_000;

// A write transaction open longer than this is logged: every other process's writes wait on it, and fail past the busy timeout.
const longLockMs = 1_000;
const writeStatement = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

/**
 * Prisma's libsql adapter on one SQLite connection, with four things that keep one SQLite failure from taking the
 * whole app down:
 *
 * - Transactions take the write lock at BEGIN (IMMEDIATE), so another process's write makes them wait, not fail.
 * - Interactive transactions run on the client's own connection. @libsql/client hands each transaction its
 *   connection and opens a new one, and never closes the old one: it lived on (file handles, page cache, statements)
 *   until a garbage collection found it, hundreds of them under a write load. Prisma's adapter runs nothing else
 *   while a transaction is open (one lock for both), so one connection serves both.
 * - Every connection waits for a busy lock (`PRAGMA busy_timeout`) and syncs at checkpoints (`synchronous = NORMAL`),
 *   set on each new one.
 * - A statement that failed (SQLITE_BUSY above all) is left open on its connection by libsql: a later transaction
 *   could then never commit ("cannot commit transaction - SQL statements in progress"). After a failed statement
 *   the client starts over on a new connection; inside a transaction, once the transaction ended (rolled back).
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

const beginStatement: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", deferred: "BEGIN DEFERRED", read: "BEGIN TRANSACTION READONLY" };

function guardClient(client: Client, busyTimeoutMs: number): Client {
  // The connection the client uses next: set up yet (busy timeout), and free of failed statements.
  let fresh = true;
  let spoiled = false;

  async function ready() {
    if (spoiled) renew();
    if (fresh) {
      fresh = false;
      // In WAL mode (migrate.ts), NORMAL syncs at checkpoints, not at each commit: a commit survives the process
      // being killed (kill -9), as the API promises, though not the machine losing power; FULL's sync per commit
      // blocked the event loop for milliseconds at each transaction.
      await client.executeMultiple(`PRAGMA busy_timeout = ${busyTimeoutMs}; PRAGMA synchronous = NORMAL;`);
    }
  }

  // Closes the connection (rolling back what it held open, letting go of its locks); the next statement opens a new one.
  function renew() {
    spoiled = false;
    fresh = true;
    if (!client.closed) void client.reconnect();
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
    execute: (statement: InStatement) => guarded(() => timedWrite(statement, () => client.execute(statement))),
    executeMultiple: (sql: string) => guarded(() => client.executeMultiple(sql)),
    // Prisma asks for deferred transactions: one that read, then wrote after another process had written meanwhile,
    // failed at once (SQLITE_BUSY_SNAPSHOT, no busy wait). Taking the write lock at BEGIN makes it wait its turn.
    transaction: async (mode: TransactionMode = "write") => {
      await guarded(() => client.execute(beginStatement[mode === "deferred" ? "write" : mode]));
      return transactionOn(client, { failed: renew });
    },
  };
  return withOverrides(client, overrides);
}

const sqlOf = (statement: InStatement): string => (typeof statement === "string" ? statement : statement.sql);

/** Runs a statement outside a transaction; a write that took over a second (waiting for the lock, or holding it) is logged. */
async function timedWrite<T>(statement: InStatement, run: () => Promise<T>): Promise<T> {
  const sql = sqlOf(statement);
  if (!writeStatement.test(sql)) return run();
  const began = performance.now();
  try {
    return await run();
  } finally {
    const tookMs = performance.now() - began;
    if (tookMs > longLockMs) log.warn(`a write took ${Math.round(tookMs)} ms, waiting for SQLite's write lock or holding it (${sql.slice(0, 80)})`);
  }
}

/** A transaction on the client's connection; `failed` runs once it ended, when one of its statements failed. */
function transactionOn(client: Client, { failed }: { failed: () => void }): Transaction {
  let open = true;
  let spoiled = false;
  // The write lock is held from BEGIN to the end.
  const began = performance.now();
  let first: string | undefined;
  const closedError = () => new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
  async function run<T>(statement: () => Promise<T>, sql: InStatement): Promise<T> {
    if (!open) throw closedError();
    first ??= sqlOf(sql).slice(0, 80);
    try {
      return await statement();
    } catch (error) {
      spoiled = true;
      throw error;
    }
  }
  async function end(sql: "COMMIT" | "ROLLBACK") {
    if (!open) {
      if (sql === "ROLLBACK") return;
      throw closedError();
    }
    try {
      await client.execute(sql);
    } catch (error) {
      spoiled = true;
      // A COMMIT that fails is rolled back. Prisma counts a transaction whose commit failed as closed and never rolls
      // it back; left open, it would hold SQLite's write lock for good, and every later write would time out.
      if (sql === "COMMIT") await client.execute("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      open = false;
      if (spoiled) failed();
      const heldMs = performance.now() - began;
      if (heldMs > longLockMs) log.warn(`a transaction held SQLite's write lock for ${Math.round(heldMs)} ms (it began with: ${first ?? "nothing"})`);
    }
  }
  return {
    execute: (statement: InStatement) => run(() => client.execute(statement), statement),
    batch: async (statements: InStatement[]) => {
      const results = [];
      for (const statement of statements) results.push(await run(() => client.execute(statement), statement));
      return results;
    },
    // The client's executeMultiple rolls back an open transaction when done: not on a transaction's connection.
    executeMultiple: () => Promise.reject(new LibsqlError("executeMultiple is not supported in a transaction", "NOT_SUPPORTED")),
    commit: () => end("COMMIT"),
    rollback: () => end("ROLLBACK"),
    close: () => void end("ROLLBACK").catch(() => undefined),
    get closed() {
      return !open;
    },
  };
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
