import "server-only";
import { catalogChange, catalogChangeAtOnce, pendingIndex, type TCatalogChange } from "@/lib/catalog/catalog-change";
import { takesTraffic, trafficState } from "@/lib/catalog/traffic-state";
import { randomUUID } from "node:crypto";
import { db, type Db, type Tx } from "@/lib/db";
import { chunked, insertRows, valuesList } from "@/lib/db/bulk";
import { encodeStringList, encodeStringMap } from "@/lib/db/codecs";
import { isPostgres } from "@/lib/env";
import { AppError, asError } from "@/lib/errors";
import { forgetInstance, noteOwnIndex, trackInstance } from "./beat-state";
import { instanceSelect, type TInstanceRow } from "./instance-view";
import type { TCheck, TRegisterInstance } from "./schemas";

const source = "builtin";

// Registrations and deregistrations are group-committed: those that arrive while a batch commits wait for the
// next one, which writes up to maxBatch of them in one transaction with one index bump. Each caller is answered
// only once its batch has committed, so an acknowledged write survives a kill -9.
const maxBatch = 200;
// Ids per `in (...)` read: far under every database's parameter limit.
const readChunk = 400;

type TOverrideRow = Awaited<ReturnType<Db["instanceOverride"]["findMany"]>>[number];
/** The instance as the batch wrote it (the row the API shows, read no more), and the operator's override of its id. */
type TRegistered = { instance: TInstanceRow & { serviceId: string }; override: TOverrideRow | undefined; created: boolean };
/** How a client registered into the built-in registry: Meshdeck's own API, or a compat API speaking its protocol. */
export type TProtocol = "meshdeck" | "consul" | "eureka" | "nacos";
type TOp =
  | { kind: "register"; input: TRegisterInstance; protocol: TProtocol; resolve: (result: TRegistered) => void; reject: (error: Error) => void }
  | {
      kind: "deregister";
      instanceId: string;
      reason: string;
      /** An abandoned instance: deregistered only while still critical with no beat stored since this. */
      heartbeatBefore?: Date;
      resolve: (gone: boolean) => void;
      reject: (error: Error) => void;
    };

// One queue per module instance, not per process: Next.js's bundles each load this module, and an AppError made by
// another bundle's copy would not be recognised by the caller's API handler (instanceof), turning a 409 into a 500.
const queue = { ops: [] as TOp[], draining: false };

function enqueue(op: TOp) {
  queue.ops.push(op);
  if (queue.draining) return;
  queue.draining = true;
  // A turn of the event loop lets the registrations arriving together share the first batch too.
  setImmediate(() => void drain());
}

// Under a steady load of many clients, those a batch just answered send their next registration within about a
// millisecond: the next batch waits that long for them when only a few came meanwhile. Otherwise batches alternated
// between the many and the one or two that arrived during a commit, each with its own transaction and reads.
const gatherMs = 1;
const gatherAfter = 16;

async function drain() {
  try {
    let last = 0;
    while (queue.ops.length > 0) {
      if (last >= gatherAfter && queue.ops.length < last / 2) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      const batch = takeBatch();
      last = batch.length;
      await commitBatch(batch);
    }
  } finally {
    queue.draining = false;
  }
}

// Ops in arrival order, up to the first that names an id already in the batch: that one waits for the next
// batch, so a register then a deregister of one id apply in that order.
function takeBatch(): TOp[] {
  const ids = new Set<string>();
  let n = 0;
  for (const op of queue.ops) {
    const id = op.kind === "register" ? op.input.id : op.instanceId;
    if (n >= maxBatch || ids.has(id)) break;
    ids.add(id);
    n += 1;
  }
  return queue.ops.splice(0, n);
}

/**
 * Writes a batch and answers its callers. The batch's reads are made first, outside the transaction, so batches of
 * other processes hold the counter row only for their writes; a write that finds a row changed since (or one
 * inserted meanwhile) fails the transaction, and the batch runs once more with its reads made under the counter lock.
 */
async function commitBatch(ops: TOp[], locked = false) {
  // A deregistration weighs an instance's health and last beat: read where no other change can come between.
  const readFirst = !locked && ops.every((op) => op.kind === "register");
  let result: Awaited<ReturnType<typeof writeBatch>>;
  try {
    const seen = readFirst ? await readBatch(db, ops) : undefined;
    // New instances of services that exist and take traffic (most of a fleet registering): one statement, no transaction.
    const atOnce =
      seen !== undefined && isPostgres() && ops.every((op) => op.kind === "register" && !seen.existing.has(op.input.id) && seen.services.has(op.input.service));
    const written = atOnce ? await catalogChangeAtOnce((tx, change) => writeBatch(tx, change, ops, seen, true)) : undefined;
    if (atOnce && !written) throw new Error(changedSinceRead);
    result = written ?? (await catalogChange(async (tx, change) => writeBatch(tx, change, ops, seen ?? (await change.index(), await readBatch(tx, ops)))));
  } catch (error) {
    if (readFirst) return commitBatch(ops, true);
    // Something no caller's input explains (a concurrent writer in another process, say): each op again on its own,
    // so one cannot fail the others.
    if (ops.length === 1) ops[0]!.reject(asError(error));
    else for (const op of ops) await commitBatch([op], true);
    return;
  }
  const index = await result.index;
  for (const op of ops) {
    if (op.kind === "register") {
      const failure = result.failed.get(op.input.id);
      const registered = result.registered.get(op.input.id);
      if (failure || !registered) {
        op.reject(failure ?? new Error(`registration of '${op.input.id}' was not written`));
        continue;
      }
      registered.instance.modifyIndex = index;
      const { check } = op.input;
      if (check.kind === "ttl") {
        trackInstance({
          instanceId: op.input.id,
          id: registered.instance.id,
          ttlMs: check.ttl,
          deregisterAfterMs: check.deregisterAfter,
          health: registered.instance.health,
          shared: false,
          // The caller hears back now: its next beat is due a TTL from here, however long the batch took.
          lastBeatAt: Date.now(),
        });
      } else forgetInstance(op.input.id);
      op.resolve(registered);
    } else {
      const failure = result.failed.get(op.instanceId);
      if (failure) {
        op.reject(failure);
        continue;
      }
      const gone = result.deregistered.has(op.instanceId);
      if (gone) forgetInstance(op.instanceId);
      op.resolve(gone);
    }
  }
  // Every row this batch wrote is tracked above, as written.
  noteOwnIndex(index);
}

/** What a batch reads before it writes: its ids' rows, their operators' overrides, and its services that exist. */
async function readBatch(client: Db | Tx, ops: TOp[]) {
  const ids = ops.map((op) => (op.kind === "register" ? op.input.id : op.instanceId));
  const names = [...new Set(ops.flatMap((op) => (op.kind === "register" ? [op.input.service] : [])))];
  const registering = ops.flatMap((op) => (op.kind === "register" ? [op.input.id] : []));
  const [rows, overrides, services] = await Promise.all([
    client.instance.findMany({ where: { source, instanceId: { in: ids } }, select: { ...instanceSelect, service: { select: { id: true, name: true } } } }),
    registering.length ? client.instanceOverride.findMany({ where: { source, instanceId: { in: registering } } }) : [],
    names.length ? client.service.findMany({ where: { name: { in: names } }, select: { id: true, name: true } }) : [],
  ]);
  return {
    existing: new Map(rows.map((row) => [row.instanceId, row])),
    overrides: new Map(overrides.map((override) => [override.instanceId, override])),
    services: new Map(services.map(({ id, name }) => [name, id])),
  };
}

// Raised when a row read before the counter lock changed before the write: the batch is run again, locked first.
const changedSinceRead = "an instance of the batch changed since it was read";

/** Writes a batch in `tx`; `atOnce`: as catalogChangeAtOnce writes it, its services taking traffic as it is written. */
async function writeBatch(
  tx: Tx,
  change: TCatalogChange,
  ops: TOp[],
  { existing, overrides, services }: Awaited<ReturnType<typeof readBatch>>,
  atOnce = false,
) {
  const at = new Date();
  const failed = new Map<string, AppError>();
  const registered = new Map<string, TRegistered>();
  const deregistered = new Set<string>();
  const registrations = ops.flatMap((op) => (op.kind === "register" ? [op.input] : []));
  // Concurrent batches (in other processes too) take turns on the counter row. A batch of new instances (of new
  // services too) locks no row another change may lock first, so it takes the counter last, for one statement and
  // the commit only; one that changes existing rows locks it first, as every other change does (rows after the
  // counter: no deadlock between them). A change that creates one of its new services at the same moment waits for
  // it; should that change hold the counter, PostgreSQL ends the deadlock and this batch runs again, locked first.
  const atEnd = ops.every((op) => op.kind === "register" && !existing.has(op.input.id));
  const index = atEnd ? pendingIndex : await change.index();
  const protocolOf = new Map(ops.flatMap((op) => (op.kind === "register" ? [[op.input.id, op.protocol] as const] : [])));
  const healthEvents: { service: string; source: string; instanceId: string; from: string; to: string; reason: string; at: Date }[] = [];
  const touchedServices = new Set<string>();
  // New instances inserted one at a time (each with its traffic story), and those left to insert in one statement.
  let alone: string[] = [];
  let rest: Record<string, unknown>[] = [];

  if (registrations.length > 0) {
    const accepted = registrations.filter((input) => {
      const row = existing.get(input.id);
      if (row && row.service.name !== input.service) {
        failed.set(input.id, new AppError("conflict", `instance id '${input.id}' is already registered to service '${row.service.name}'`, "id"));
        return false;
      }
      return true;
    });
    const { ids: serviceIds, created: newServices } = await upsertServices(tx, [...new Set(accepted.map(({ service }) => service))], services, index);
    const creates = [];
    const updates: Parameters<typeof updateInstances>[1] = [];
    for (const input of accepted) {
      const { check } = input;
      const isTtl = check.kind === "ttl";
      const row = existing.get(input.id);
      // An operator's override outlives the instance: one that deregistered and came back gets it again.
      const override = overrides.get(input.id);
      const kept = override?.service === input.service ? override : undefined;
      const fields = {
        host: input.host,
        port: input.port,
        weight: input.weight,
        weightOverride: kept?.weight ?? null,
        enabledOverride: kept?.enabled ?? null,
        checkKind: check.kind,
        checkPath: checkPathOf(check),
        checkIntervalMs: isTtl ? 1000 : check.interval,
        checkTimeoutMs: isTtl ? 800 : check.timeout,
        checkTtlMs: isTtl ? check.ttl : 3000,
        metricsPath: input.metrics?.path ?? null,
        metricsPort: input.metrics?.port ?? null,
        lastHeartbeatAt: isTtl ? at : null,
        modifyIndex: index,
        protocol: protocolOf.get(input.id)!,
      };
      const stored = {
        ...fields,
        tags: encodeStringList(input.tags),
        metadata: encodeStringMap(input.metadata),
        checkRise: isTtl ? 1 : check.rise,
        checkFall: isTtl ? 1 : check.fall,
        deregisterAfterMs: check.deregisterAfter,
        lastSuccessAt: isTtl ? at : null,
      };
      const before = row?.health ?? "unknown";
      // A new kind of check has to prove itself before the instance takes traffic again; a TTL registration is a beat.
      const health = isTtl ? "passing" : row?.checkKind === check.kind ? before : "unknown";
      if (health !== before || !row) {
        healthEvents.push({ service: input.service, source, instanceId: input.id, from: before, to: health, reason: row ? "re-registered" : "registered", at });
      }
      // The row as the API shows it, made here rather than read again.
      const shown = { ...fields, tags: input.tags, metadata: input.metadata, health, serviceId: serviceIds.get(input.service)! };
      if (row) {
        const healthChanged = health !== before;
        const { service: _service, ...unchanged } = row;
        const instance = {
          ...unchanged,
          ...shown,
          ...(healthChanged ? { healthChangedAt: at, healthOutput: "re-registered" } : {}),
        };
        updates.push({ row, healthChanged, stored: { ...stored, health } });
        registered.set(input.id, { instance, override, created: false });
      } else {
        const id = randomUUID();
        const instance = {
          ...shown,
          id,
          instanceId: input.id,
          source,
          enabled: true,
          healthOutput: "registered",
          healthChangedAt: at,
          registeredAt: at,
          lastScrapeAt: null,
          scrapeError: null,
          scrapeMs: null,
        };
        creates.push({
          ...stored,
          id,
          enabled: true,
          serviceId: shown.serviceId,
          source,
          instanceId: input.id,
          health,
          healthOutput: "registered",
          healthChangedAt: at,
          registeredAt: at,
          updatedAt: at,
        });
        registered.set(input.id, { instance, override, created: true });
      }
    }
    await updateInstances(tx, updates, at);
    // A service this batch created has neither an instance nor an outage to end; at once, the statement makes sure.
    const noOutage = atOnce ? new Set(serviceIds.values()) : newServices;
    const inserted = await insertInstances(tx, change, creates, new Map([...serviceIds].map(([name, id]) => [id, name])), noOutage);
    alone = inserted.alone;
    // Taking the index at the end, the rest go in with it (catalog-change.ts); otherwise now.
    if (atEnd) rest = inserted.rest;
    else await insertRows(tx, { table: "Instance", rows: inserted.rest });
    for (const input of accepted) {
      touchedServices.add(serviceIds.get(input.service)!);
      change.touched(input.service);
    }
  }
  const leaving = ops.flatMap((op) => {
    if (op.kind !== "deregister") return [];
    const row = existing.get(op.instanceId);
    if (!row) {
      failed.set(op.instanceId, new AppError("not_found", `instance '${op.instanceId}' is not registered`, "id"));
      return [];
    }
    const { heartbeatBefore } = op;
    // An abandoned instance that came back (or beat at another process) stays.
    if (heartbeatBefore && (row.health !== "critical" || (row.lastHeartbeatAt !== null && row.lastHeartbeatAt >= heartbeatBefore))) return [];
    return [{ op, row }];
  });
  // One at a time: each leaving instance's story names those still there to take over.
  for (const { op, row } of leaving) {
    await tx.instance.deleteMany({ where: { id: row.id } });
    deregistered.add(op.instanceId);
    touchedServices.add(row.service.id);
    change.touched(row.service.name);
    healthEvents.push({ service: row.service.name, source, instanceId: op.instanceId, from: row.health, to: "deregistered", reason: op.reason, at });
    await change.traffic({
      serviceId: row.service.id,
      service: row.service.name,
      instanceId: op.instanceId,
      before: trafficState(row),
      after: null,
      reason: op.reason,
      at,
    });
  }
  const events = healthEvents.map((event) => ({ id: randomUUID(), ...event, detectionMs: null }));
  const inserts = [
    { table: "Instance", rows: rest },
    { table: "HealthEvent", rows: events },
  ];
  const serving = atOnce ? [...touchedServices] : undefined;
  const taken = atEnd ? change.indexAtEnd({ instances: alone, services: [...touchedServices], inserts, serving }) : Promise.resolve(index);
  if (!atEnd && touchedServices.size > 0) await tx.service.updateMany({ where: { id: { in: [...touchedServices] } }, data: { modifyIndex: index } });
  if (!atEnd) await insertRows(tx, { table: "HealthEvent", rows: events });

  // The traffic stories of re-registrations (a new instance's was told as it was inserted).
  for (const input of registrations) {
    const result = registered.get(input.id);
    const row = existing.get(input.id);
    if (!result || result.created || !row) continue;
    await change.traffic({
      serviceId: result.instance.serviceId,
      service: input.service,
      instanceId: input.id,
      before: trafficState(row),
      after: trafficState(result.instance),
      reason: "re-registered",
      at,
    });
  }
  return { at, index: taken, failed, registered, deregistered };
}

/**
 * The services of a batch (`found`: those read to exist), created where new; answers their ids by name, and the ids
 * of those this batch created (no instance, and no outage, before).
 */
async function upsertServices(tx: Tx, names: string[], found: Map<string, string>, index: number) {
  const ids = new Map(names.flatMap((name) => (found.has(name) ? [[name, found.get(name)!] as const] : [])));
  const created = new Set<string>();
  const missing = names.filter((name) => !ids.has(name));
  if (missing.length === 0) return { ids, created };
  const now = new Date();
  const inserted = await tx.$queryRawUnsafe<{ id: string; name: string }[]>(
    `INSERT INTO "Service" ("id", "name", "source", "modifyIndex", "createdAt", "updatedAt") VALUES ${valuesList({ rows: missing.length, columns: 6 })} ON CONFLICT ("name") DO NOTHING RETURNING "id", "name"`,
    ...missing.flatMap((name) => [randomUUID(), name, source, index, now, now]),
  );
  for (const { id, name } of inserted) {
    ids.set(name, id);
    created.add(id);
  }
  // Another app process created the others at the same moment: its rows win, and are read back.
  const others = missing.filter((name) => !ids.has(name));
  if (others.length > 0) {
    for (const { id, name } of await tx.service.findMany({ where: { name: { in: others } }, select: { id: true, name: true } })) ids.set(name, id);
  }
  return { ids, created };
}

type TExistingRow = Awaited<ReturnType<typeof readBatch>>["existing"] extends Map<string, infer R> ? R : never;

// The columns a re-registration writes, in the order of its VALUES rows after the row's id and the modifyIndex read.
const updatedColumns = [
  ["host", "text"],
  ["port", "integer"],
  ["weight", "integer"],
  ["weightOverride", "integer"],
  ["enabledOverride", "boolean"],
  ["tags", "text"],
  ["metadata", "text"],
  ["checkKind", "text"],
  ["checkPath", "text"],
  ["checkIntervalMs", "integer"],
  ["checkTimeoutMs", "integer"],
  ["checkTtlMs", "integer"],
  ["checkRise", "integer"],
  ["checkFall", "integer"],
  ["deregisterAfterMs", "integer"],
  ["metricsPath", "text"],
  ["metricsPort", "integer"],
  ["lastHeartbeatAt", "timestamp(3)"],
  ["lastSuccessAt", "timestamp(3)"],
  ["modifyIndex", "integer"],
  ["protocol", "text"],
  ["health", "text"],
] as const;
// Rows per UPDATE: its parameters stay far under every database's limit.
const updateChunk = 100;

/**
 * Re-registrations with one statement per hundred rows, each row only as it was read (its modifyIndex): another
 * process's change since the batch read it fails the batch, which runs again locked first. The health changed
 * (healthChangedAt, healthOutput) only where it did; a health check's output written meanwhile stays otherwise.
 */
async function updateInstances(
  tx: Tx,
  updates: { row: TExistingRow; healthChanged: boolean; stored: Record<(typeof updatedColumns)[number][0], unknown> }[],
  at: Date,
) {
  const columns = updatedColumns.length + 5;
  const set = updatedColumns.map(([name], i) => `"${name}" = v.column${i + 3}`).join(", ");
  const n = updatedColumns.length + 2;
  for (const part of chunked(updates, updateChunk)) {
    const written = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Instance" SET ${set}, "healthChangedAt" = COALESCE(v.column${n + 1}, "Instance"."healthChangedAt"),
         "healthOutput" = COALESCE(v.column${n + 2}, "Instance"."healthOutput"), "updatedAt" = v.column${n + 3}
       FROM (VALUES ${valuesList({ rows: part.length, columns, casts: ["text", "integer", ...updatedColumns.map(([, cast]) => cast), "timestamp(3)", "text", "timestamp(3)"] })}) AS v
       WHERE "Instance"."id" = v.column1 AND "Instance"."modifyIndex" = v.column2
       RETURNING "Instance"."id" AS "id"`,
      ...part
        .toSorted((a, b) => (a.row.id < b.row.id ? -1 : 1))
        .flatMap(({ row, healthChanged, stored }) => [
          row.id,
          row.modifyIndex,
          ...updatedColumns.map(([name]) => stored[name]),
          healthChanged ? at : null,
          healthChanged ? "re-registered" : null,
          at,
        ]),
    );
    if (written.length !== part.length) throw new Error(changedSinceRead);
  }
}

type TNewInstance = {
  id: string;
  serviceId: string;
  instanceId: string;
  weight: number;
  weightOverride: number | null;
  enabled: boolean;
  enabledOverride: boolean | null;
  health: string;
  healthOutput: string;
  registeredAt: Date;
};

/**
 * New instances: an instance joining a service that already takes traffic tells no story, and is left to the caller
 * to insert with the others (`rest`, one statement per few hundred); in a service in an outage, instances go one at a
 * time (`alone`), each with its story (it may end the outage), until one takes traffic.
 */
async function insertInstances<T extends TNewInstance>(tx: Tx, change: TCatalogChange, rows: T[], names: Map<string, string>, noOutage: Set<string>) {
  const alone: string[] = [];
  const rest: T[] = [];
  if (rows.length === 0) return { alone, rest };
  // Services known to have no outage to end (see writeBatch): nothing to read of them.
  const serviceIds = [...new Set(rows.map((row) => row.serviceId))].filter((id) => !noOutage.has(id));
  const serving = new Set(noOutage);
  for (let i = 0; i < serviceIds.length; i += readChunk) {
    const groups = await tx.instance.groupBy({
      by: ["serviceId"],
      where: {
        serviceId: { in: serviceIds.slice(i, i + readChunk) },
        health: { in: ["passing", "warning"] },
        OR: [{ enabledOverride: true }, { enabledOverride: null, enabled: true }],
        AND: [{ OR: [{ weightOverride: { gt: 0 } }, { weightOverride: null, weight: { gt: 0 } }] }],
      },
    });
    for (const group of groups) serving.add(group.serviceId);
  }
  // Nor does one joining a service that never had an outage (a new service, most often): there is none to end.
  const quiet = [...names].filter(([id]) => !serving.has(id) && serviceIds.includes(id));
  for (let i = 0; i < quiet.length; i += readChunk) {
    const chunk = quiet.slice(i, i + readChunk);
    const outages = await tx.failoverEvent.findMany({
      where: { service: { in: chunk.map(([, name]) => name) }, kind: "outage" },
      select: { service: true },
      distinct: ["service"],
    });
    const hadOutage = new Set(outages.map(({ service }) => service));
    for (const [id, name] of chunk) if (!hadOutage.has(name)) serving.add(id);
  }
  for (const row of rows) {
    if (serving.has(row.serviceId)) {
      rest.push(row);
      continue;
    }
    await insertRows(tx, { table: "Instance", rows: [row] });
    alone.push(row.id);
    const after = trafficState(row);
    const service = names.get(row.serviceId)!;
    await change.traffic({
      serviceId: row.serviceId,
      service,
      instanceId: row.instanceId,
      before: null,
      after,
      reason: row.healthOutput,
      at: row.registeredAt,
    });
    if (takesTraffic(after)) serving.add(row.serviceId);
  }
  return { alone, rest };
}

// What the collector's probe needs beyond the address: an HTTP path, the service a gRPC server is asked about, or the
// command a script check runs.
function checkPathOf(check: TCheck): string | null {
  if (check.kind === "http") return check.path;
  if (check.kind === "grpc") return check.service;
  if (check.kind === "script") return JSON.stringify(check.args);
  return null;
}

/**
 * Registers or re-registers an instance of the built-in registry. Operator overrides (weight,
 * enabled) are kept across re-registrations and restarts (they live in InstanceOverride); a TTL
 * instance counts its registration as a heartbeat.
 */
export function registerInstance({ input, protocol = "meshdeck" }: { input: TRegisterInstance; protocol?: TProtocol }): Promise<TRegistered> {
  return new Promise((resolve, reject) => enqueue({ kind: "register", input, protocol, resolve, reject }));
}

export async function deregisterInstance({ instanceId, reason = "deregistered" }: { instanceId: string; reason?: string }): Promise<void> {
  await new Promise<boolean>((resolve, reject) => enqueue({ kind: "deregister", instanceId, reason, resolve, reject }));
}

/**
 * Deregisters TTL instances critical and silent past their deregisterAfter (Nacos and Consul do the same), each
 * only while the database agrees: still critical, no beat stored since `heartbeatBefore`. Answers those that went.
 */
export async function deregisterAbandoned({ instances }: { instances: { instanceId: string; reason: string; heartbeatBefore: Date }[] }): Promise<Set<string>> {
  const results = await Promise.allSettled(
    instances.map(
      ({ instanceId, reason, heartbeatBefore }) =>
        new Promise<boolean>((resolve, reject) => enqueue({ kind: "deregister", instanceId, reason, heartbeatBefore, resolve, reject })),
    ),
  );
  const gone = new Set<string>();
  results.forEach((result, i) => {
    const notFound = result.status === "rejected" && (result.reason as { code?: unknown }).code === "not_found";
    if ((result.status === "fulfilled" && result.value) || notFound) gone.add(instances[i]!.instanceId);
    else if (result.status === "rejected") throw asError(result.reason);
  });
  return gone;
}
