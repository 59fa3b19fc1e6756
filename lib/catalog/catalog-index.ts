import "server-only";
import { EventEmitter } from "node:events";
import { takesTrafficSql } from "@/lib/catalog/traffic-state";
import { db, type Db, type Tx } from "@/lib/db";
import { chunked, maxParameters } from "@/lib/db/bulk";
import { isPostgres } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";

// The catalog index rises with every change to services and instances; blocking queries wait on it.
export async function bumpCatalogIndex(tx: Tx): Promise<number> {
  const counter = await tx.counter.update({ where: { name: "catalog" }, data: { value: { increment: 1 } } });
  return counter.value;
}

/**
 * Sets services' modifyIndex to a change's index. On PostgreSQL the rows are locked in id order first: a statement's
 * own order follows its plan, and two transactions bumping shared services in different orders deadlock.
 */
export async function bumpServiceIndexes(tx: Tx, { ids, index }: { ids: string[]; index: number }) {
  const sorted = ids.toSorted();
  for (const part of chunked(sorted)) {
    if (isPostgres()) await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ANY(${part}) ORDER BY "id" FOR NO KEY UPDATE`;
    await tx.service.updateMany({ where: { id: { in: part } }, data: { modifyIndex: index } });
  }
}

// Ids per stamping statement: far under every database's parameter limit.
const stampChunk = 400;

/** Rows a change inserts as it takes its index, each with it as its `modifyIndex` where it has one. */
export type TInsert = { table: string; rows: Record<string, unknown>[] };

/**
 * Whether a change's stamping and its rows inserted at the end go in one statement (bumpAndStamp): on PostgreSQL, up to
 * stampChunk ids stamped and a statement's parameters inserted. A registration batch is then one round trip, not three.
 */
export function withStamping(stamped: { instances: string[]; services: string[] }[], inserts: TInsert[]): boolean {
  const ids = stamped.reduce((n, rows) => n + rows.instances.length + rows.services.length, 0);
  const cells = inserts.reduce((n, { rows }) => n + rows.length * Object.keys(rows[0] ?? {}).length, 0);
  return isPostgres() && ids <= stampChunk && ids + cells <= maxParameters;
}

/**
 * Writes the change's index as the modifyIndex of rows it wrote before it took it (catalog-change.ts indexAtEnd),
 * bumping the counter first unless the change already has (`index`); answers the index. On PostgreSQL a change of
 * up to stampChunk rows (a registration batch) bumps and stamps in one statement, which also inserts `inserts`
 * (withStamping): the counter, which every change of every app process takes in turn, is then held for that round
 * trip and the commit, not for three and the commit.
 */
export async function stampCatalogIndex(
  tx: Tx,
  index: Promise<number> | undefined,
  stamped: { instances: string[]; services: string[] }[],
  inserts: TInsert[] = [],
): Promise<number> {
  const instances = stamped.flatMap((rows) => rows.instances);
  const services = [...new Set(stamped.flatMap((rows) => rows.services))];
  if (index === undefined && isPostgres() && instances.length + services.length <= stampChunk) return bumpAndStamp(tx, instances, services, inserts);
  const value = await (index ?? bumpCatalogIndex(tx));
  for (const part of chunked(instances, stampChunk)) {
    await tx.instance.updateMany({ where: { id: { in: part } }, data: { modifyIndex: value } });
  }
  await bumpServiceIndexes(tx, { ids: services, index: value });
  return value;
}

/**
 * bumpAndStamp as a statement of its own, outside a transaction (catalog-change.ts catalogChangeAtOnce). With `serving`,
 * the counter is bumped only while each of those services has an instance taking traffic; otherwise the rows'
 * modifyIndex is null and the statement fails whole. Answers the index, or throws.
 */
export async function bumpAndStampAtOnce(
  client: Db,
  stamped: { instances: string[]; services: string[]; serving?: string[] }[],
  inserts: TInsert[],
): Promise<number> {
  const serving = [...new Set(stamped.flatMap((rows) => rows.serving ?? []))];
  if (serving.length > 0 && !inserts.some(({ rows }) => rows.some((row) => "modifyIndex" in row))) {
    throw new Error("a guarded change must insert rows carrying its index, which fail it when the guard does");
  }
  const instances = stamped.flatMap((rows) => rows.instances);
  const services = [...new Set(stamped.flatMap((rows) => rows.services))];
  return bumpAndStamp(client, instances, services, inserts, serving);
}

async function bumpAndStamp(tx: Tx | Db, instances: string[], services: string[], inserts: TInsert[], serving: string[] = []): Promise<number> {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  // One instance taking traffic per service is enough: looked for, not counted (a service of 1,000 is not read whole).
  const guard = serving.length
    ? ` AND (SELECT count(*) FROM "Service" WHERE "Service"."id" IN (${serving.map(param).join(", ")}) AND EXISTS (SELECT 1 FROM "Instance" WHERE "Instance"."serviceId" = "Service"."id" AND ${takesTrafficSql})) = ${serving.length}`
    : "";
  const ctes = [`c AS (UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = 'catalog'${guard} RETURNING "value")`];
  if (instances.length)
    ctes.push(`i AS (UPDATE "Instance" SET "modifyIndex" = c."value" FROM c WHERE "Instance"."id" IN (${instances.map(param).join(", ")}))`);
  if (services.length) ctes.push(`s AS (UPDATE "Service" SET "modifyIndex" = c."value" FROM c WHERE "Service"."id" IN (${services.map(param).join(", ")}))`);
  for (const { table, rows } of inserts) {
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]!);
    // Each row's modifyIndex is the counter's new value: a sub-select of the bump, run once for the statement.
    const tuples = rows.map((row) => `(${columns.map((column) => (column === "modifyIndex" ? `(SELECT "value" FROM c)` : param(row[column]))).join(", ")})`);
    ctes.push(`w${ctes.length} AS (INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES ${tuples.join(", ")})`);
  }
  const [counter] = await tx.$queryRawUnsafe<{ value: number }[]>(`WITH ${ctes.join(", ")} SELECT "value" FROM c`, ...values);
  if (!counter) throw new Error("the catalog counter row is missing");
  return Number(counter.value);
}

export async function getCatalogIndex(): Promise<number> {
  const counter = await db.counter.findUnique({ where: { name: "catalog" } });
  return counter?.value ?? 0;
}

const changes = processSingleton("meshdeck.catalog", () => new EventEmitter().setMaxListeners(0));

/** Tell waiters in this process that the catalog changed; call after the transaction commits. */
export function announceCatalogChange(service: string) {
  forgetKnownIndex(service);
  changes.emit("change", service);
}

// Other app processes change the catalog too; while someone waits, the database is looked at this often, and an
// index kept in memory (below) is trusted this long.
const pollMs = 500;
const maxKnownServices = 10_000;

// The indexes discovery answers by, kept in memory so a cached answer costs no query: changes made in this process
// drop what they touched at once (announceCatalogChange); those of other processes are found by one look at the
// database when the last is older than pollMs: the catalog index, and the services changed past the last one seen.
// Services are never deleted, so every change to one shows as its modifyIndex rising.
const known = processSingleton("meshdeck.catalog.known", () => ({
  /** The catalog index every kept service index was current at, and when it was read (performance.now: a clock set back must not freeze it). */
  catalog: undefined as number | undefined,
  checkedAt: -Infinity,
  /** Whether a change made in this process moved the catalog index past `catalog`. */
  changedHere: false,
  services: new Map<string, number>(),
  /** Bumped by every change made here: a read begun before one must not keep its (older) answer. */
  generation: 0,
  refreshing: undefined as Promise<void> | undefined,
}));

function forgetKnownIndex(service: string) {
  known.services.delete(service);
  known.changedHere = true;
  known.generation += 1;
}

/** Brings the kept indexes up to the database's, when the last look is older than pollMs. */
async function refreshKnown() {
  if (performance.now() - known.checkedAt < pollMs) return;
  known.refreshing ??= (async () => {
    const startedAt = performance.now();
    const generation = known.generation;
    // Read first: every change up to it has committed (see pollOnce), so the services read next show them all.
    const catalog = await getCatalogIndex();
    if (known.catalog !== undefined && catalog > known.catalog && known.services.size > 0) {
      const changed = await db.service.findMany({ where: { modifyIndex: { gt: known.catalog } }, select: { name: true, modifyIndex: true } });
      for (const { name, modifyIndex } of changed) {
        const kept = known.services.get(name);
        if (kept !== undefined) known.services.set(name, Math.max(kept, modifyIndex));
      }
    }
    known.catalog = Math.max(known.catalog ?? 0, catalog);
    known.checkedAt = startedAt;
    if (generation === known.generation) known.changedHere = false;
  })().finally(() => (known.refreshing = undefined));
  await known.refreshing;
}

/** The catalog index, as of pollMs ago at most (and past every change made in this process). */
export async function getKnownCatalogIndex(): Promise<number> {
  if (known.changedHere) {
    // A look already under way may have read the index before this process's change: one begun after it is awaited.
    await known.refreshing;
    known.checkedAt = -Infinity;
  }
  await refreshKnown();
  return known.catalog!;
}

/** A service's modifyIndex (0: not registered), as of pollMs ago at most (and past every change made in this process). */
export async function getServiceIndex({ name }: { name: string }): Promise<number> {
  await refreshKnown();
  const kept = known.services.get(name);
  if (kept !== undefined) return kept;
  const [generation, asOf] = [known.generation, known.catalog];
  const service = await db.service.findUnique({ where: { name }, select: { modifyIndex: true } });
  const index = service?.modifyIndex ?? 0;
  // Kept only if no look moved past the catalog index it was read after: the next look finds any later change.
  if (generation === known.generation && asOf === known.catalog) {
    known.services.set(name, Math.max(known.services.get(name) ?? 0, index));
    for (const oldest of known.services.keys()) {
      if (known.services.size <= maxKnownServices) break;
      known.services.delete(oldest);
    }
  }
  return index;
}

type TWaiter = {
  service: string | undefined;
  index: number;
  /** Every change past this catalog index has been looked for on the waiter's behalf. */
  since: number;
  wake: (index: number) => void;
};

// One poll for all the waiters of this process, however many: 1,000 watchers cost two small queries per round, not 1,000.
const watch = processSingleton("meshdeck.catalog.waiters", () => {
  const state = {
    waiters: new Set<TWaiter>(),
    lastCatalog: undefined as number | undefined,
    running: false,
    again: false,
    timer: undefined as NodeJS.Timeout | undefined,
  };
  // A change made in this process is looked for at once; the poll finds those of other processes.
  changes.on("change", () => state.waiters.size > 0 && void pollWaiters());
  return state;
});

async function pollWaiters() {
  if (watch.running) {
    watch.again = true;
    return;
  }
  watch.running = true;
  try {
    do {
      watch.again = false;
      await pollOnce();
    } while (watch.again);
  } catch {
    // The database did not answer: the next round tries again, and waits end at their deadline meanwhile.
  } finally {
    watch.running = false;
  }
}

async function pollOnce() {
  // Read before the services: every change up to it has committed (the counter row is locked until then), so the
  // services read next show all of them.
  const catalog = await getCatalogIndex();
  watch.lastCatalog = catalog;
  const serviceWaiters: TWaiter[] = [];
  let since = Infinity;
  for (const waiter of watch.waiters) {
    if (waiter.service === undefined) {
      if (catalog > waiter.index) waiter.wake(catalog);
    } else if (catalog > waiter.since) {
      serviceWaiters.push(waiter);
      since = Math.min(since, waiter.since);
    }
  }
  if (serviceWaiters.length === 0) return;
  // The services changed since the oldest look: one set-based read, whatever the number of waiters.
  const changed = await db.service.findMany({ where: { modifyIndex: { gt: since } }, select: { name: true, modifyIndex: true } });
  const indexOf = new Map(changed.map((row) => [row.name, row.modifyIndex]));
  for (const waiter of serviceWaiters) {
    const now = indexOf.get(waiter.service!);
    if (now !== undefined && now > waiter.index) waiter.wake(now);
    else waiter.since = catalog;
  }
}

/**
 * Resolves with the index that passed `index` (the service's modifyIndex, or the catalog index when `service` is left
 * out), or with undefined when `waitMs` runs out or `signal` aborts. Woken at once by changes made in this process,
 * and by one shared poll of the database for changes made by others.
 */
export async function waitForChange({
  service,
  index,
  waitMs,
  signal,
}: {
  service?: string;
  index: number;
  waitMs: number;
  signal?: AbortSignal;
}): Promise<number | undefined> {
  if (signal?.aborted) return undefined;
  // Changes after this catalog index are looked for by the poll; the read below sees those before it.
  const since = watch.lastCatalog ?? (await getCatalogIndex());
  return new Promise<number | undefined>((resolve) => {
    let done = false;
    const finish = (passed?: number) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      watch.waiters.delete(waiter);
      if (watch.waiters.size === 0) {
        clearInterval(watch.timer);
        watch.timer = undefined;
      }
      signal?.removeEventListener("abort", onAbort);
      resolve(passed);
    };
    const onAbort = () => finish();
    const waiter: TWaiter = { service, index, since, wake: finish };
    const deadline = setTimeout(onAbort, waitMs);
    watch.waiters.add(waiter);
    watch.timer ??= setInterval(() => void pollWaiters(), pollMs);
    signal?.addEventListener("abort", onAbort);
    const now = service === undefined ? getCatalogIndex() : getServiceIndex({ name: service });
    now.then((current) => current > index && finish(current), onAbort);
  });
}
