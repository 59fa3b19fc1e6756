import "server-only";
import { setImmediate as nextTurn } from "node:timers/promises";
import { getCatalogIndex } from "@/lib/catalog/catalog-index";
import { db, type Prisma } from "@/lib/db";
import type { THealth } from "@/lib/health/health";

// What the collector needs of an actively checked (http, tcp, grpc or script) instance.
export type TCheckedInstance = {
  id: string;
  instanceId: string;
  service: string;
  host: string;
  port: number;
  kind: "http" | "tcp" | "grpc" | "script";
  /** The HTTP path; for grpc the service name asked about; for script the command's arguments as a JSON list. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  health: THealth;
  flapping: boolean;
  lastSuccessAt: number | null;
};

const checkedKinds = ["http", "tcp", "grpc", "script"];

const checkedSelect = {
  id: true,
  instanceId: true,
  host: true,
  port: true,
  checkKind: true,
  checkPath: true,
  checkIntervalMs: true,
  checkTimeoutMs: true,
  checkRise: true,
  checkFall: true,
  health: true,
  flapping: true,
  lastSuccessAt: true,
  service: { select: { name: true } },
} as const;

function readRows(where: Prisma.InstanceWhereInput) {
  return db.instance.findMany({ where, select: checkedSelect });
}

type TCheckedRow = Awaited<ReturnType<typeof readRows>>[number];

function toChecked(row: TCheckedRow): TCheckedInstance {
  return {
    id: row.id,
    instanceId: row.instanceId,
    service: row.service.name,
    host: row.host,
    port: row.port,
    kind: row.checkKind === "tcp" || row.checkKind === "grpc" || row.checkKind === "script" ? row.checkKind : "http",
    path: row.checkPath ?? (row.checkKind === "http" ? "/health" : ""),
    intervalMs: row.checkIntervalMs,
    timeoutMs: row.checkTimeoutMs,
    rise: row.checkRise,
    fall: row.checkFall,
    health: row.health,
    flapping: row.flapping,
    lastSuccessAt: row.lastSuccessAt?.getTime() ?? null,
  };
}

export async function listCheckedInstances(): Promise<TCheckedInstance[]> {
  return (await readRows({ checkKind: { in: checkedKinds } })).map(toChecked);
}

// Changed rows per read, the event loop let go between reads: on SQLite a read holds it (and every registration
// waiting on the database), and a registration flood changes thousands of rows between two refreshes.
const changedPage = 500;

// Read whole this often anyway, in case a write changed a checked instance without moving its modifyIndex.
const fullReadMs = 60_000;

/**
 * The checked instances, kept in memory and brought up to date from what changed: every catalog change moves the
 * catalog index and writes it as the modifyIndex of the instances it touched, so an unchanged index costs one query
 * and a changed one reads only the changed rows (a count tells removals; they mean a whole read).
 */
export class CheckedInstances {
  readonly byId = new Map<string, TCheckedInstance>();
  private index: number | null = null;
  private fullReadAt = -Infinity;

  /** Answers whether anything changed since the last call. */
  async refresh({ now }: { now: number }): Promise<boolean> {
    // Read first: every change up to this index has committed, so the rows read next show them all.
    const index = await getCatalogIndex();
    if (this.index === null || now - this.fullReadAt >= fullReadMs) return this.readAll(index, now);
    if (index === this.index) return false;
    let changed = false;
    let cursor: string | undefined;
    for (;;) {
      // In id order past the last read: a row changed again meanwhile keeps its place, and one deleted ends nothing.
      const rows = await db.instance.findMany({
        where: { modifyIndex: { gt: this.index }, ...(cursor === undefined ? {} : { id: { gt: cursor } }) },
        select: checkedSelect,
        orderBy: { id: "asc" },
        take: changedPage,
      });
      for (const row of rows) {
        if (checkedKinds.includes(row.checkKind)) this.byId.set(row.id, toChecked(row));
        else this.byId.delete(row.id);
      }
      changed ||= rows.length > 0;
      if (rows.length < changedPage) break;
      cursor = rows.at(-1)!.id;
      await nextTurn();
    }
    this.index = index;
    if ((await db.instance.count({ where: { checkKind: { in: checkedKinds } } })) !== this.byId.size) return this.readAll(index, now);
    return changed;
  }

  private async readAll(index: number, now: number): Promise<boolean> {
    const rows = await listCheckedInstances();
    this.byId.clear();
    for (const row of rows) this.byId.set(row.id, row);
    this.index = index;
    this.fullReadAt = now;
    return true;
  }
}

/** What, when changed, means the check starts over (health and timestamps change all the time). */
export function checkSignature(instance: TCheckedInstance): string {
  const { host, port, kind, path, intervalMs, timeoutMs, rise, fall } = instance;
  return JSON.stringify([host, port, kind, path, intervalMs, timeoutMs, rise, fall]);
}
