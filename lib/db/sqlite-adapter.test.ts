import { createClient, type Client } from "@libsql/client";
import { spawn } from "node:child_process";
import { readdirSync, readlinkSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { log } from "@/lib/log";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { GuardedPrismaLibSql } from "./sqlite-adapter";

// The app's Prisma client on a SQLite file that another connection writes to too, as a second app process, a
// collector or a test does. `other` stands for that writer.
describe("the SQLite adapter when another connection holds the write lock", () => {
  const file = resolve(`.tmp/sqlite-adapter-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
  let app: PrismaClient;
  let other: Client;

  beforeEach(async () => {
    other = createClient({ url: `file:${file}` });
    await other.execute("PRAGMA journal_mode = WAL");
    await other.execute('CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "v" INTEGER NOT NULL)');
    await other.execute('INSERT INTO "T" VALUES (1, 0)');
    // A short wait, so that a lock held within this process (which cannot let go while SQLite waits) fails soon.
    app = new PrismaClient({ adapter: new GuardedPrismaLibSql({ url: `file:${file}` }, { busyTimeoutMs: 50 }) });
  });

  afterEach(async () => {
    await app.$disconnect();
    other.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  });

  const value = async () => Number((await other.execute('SELECT "v" FROM "T" WHERE "id" = 1')).rows[0]!.v);

  // Another process holds the write lock for `ms`; resolves once it holds it.
  async function lockInAnotherProcess(ms: number) {
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const { createClient } = require("@libsql/client");
         (async () => {
           const tx = await createClient({ url: ${JSON.stringify(`file:${file}`)} }).transaction("write");
           await tx.execute('UPDATE "T" SET "v" = 1');
           console.log("locked");
           setTimeout(() => tx.commit().then(() => process.exit(0)), ${ms});
         })();`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((done) => holder.stdout.on("data", (data) => String(data).includes("locked") && done()));
  }

  test("a write waits for another process's short lock instead of failing", async () => {
    await lockInAnotherProcess(300);
    const slow = new PrismaClient({ adapter: new GuardedPrismaLibSql({ url: `file:${file}` }) });
    try {
      await expect(slow.$executeRawUnsafe('UPDATE "T" SET "v" = "v" + 10')).resolves.toBe(1);
    } finally {
      await slow.$disconnect();
    }
    expect(await value()).toBe(11);
  });

  test("a write that waited over a second for another process's lock is logged", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => {});
    await lockInAnotherProcess(1_200);
    const slow = new PrismaClient({ adapter: new GuardedPrismaLibSql({ url: `file:${file}` }) });
    try {
      await expect(slow.$executeRawUnsafe('UPDATE "T" SET "v" = "v" + 10')).resolves.toBe(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/a write took \d+ ms, waiting for SQLite's write lock or holding it \(UPDATE "T" SET "v" = "v" \+ 10\)/);
    } finally {
      warn.mockRestore();
      await slow.$disconnect();
    }
  });

  test("after a write failed as busy, the next transaction commits, and so does the other writer", async () => {
    await app.$queryRawUnsafe("SELECT 1");
    const lock = await other.transaction("write");
    await expect(app.$executeRawUnsafe('UPDATE "T" SET "v" = 1')).rejects.toThrow(/database is locked/);
    await lock.commit();
    // The failed statement was left open on its connection: a transaction on that connection could never commit.
    await app.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('UPDATE "T" SET "v" = 2');
    });
    expect(await value()).toBe(2);
    await other.execute('UPDATE "T" SET "v" = 3');
    expect(await value()).toBe(3);
  });

  test("a transaction whose commit fails is rolled back and lets go of the write lock", async () => {
    // A deferred foreign key fails at COMMIT, which leaves SQLite's transaction open.
    await other.execute('CREATE TABLE "P" ("id" INTEGER PRIMARY KEY)');
    await other.execute('CREATE TABLE "C" ("id" INTEGER PRIMARY KEY, "p" INTEGER REFERENCES "P" ("id") DEFERRABLE INITIALLY DEFERRED)');
    await app.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    const failed = app.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('UPDATE "T" SET "v" = 2');
      await tx.$executeRawUnsafe('INSERT INTO "C" VALUES (1, 42)');
    });
    await expect(failed).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect(await value()).toBe(0);
    // Left open, the transaction would hold SQLite's write lock for good and this would fail as busy.
    await other.execute('UPDATE "T" SET "v" = 3');
    expect(await value()).toBe(3);
    await app.$executeRawUnsafe('UPDATE "T" SET "v" = "v" + 1');
    expect(await value()).toBe(4);
  });

  test("every connection, the one after a transaction too, syncs at checkpoints only (synchronous NORMAL)", async () => {
    const synchronous = async () => Number((await app.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous"))[0]!.synchronous);
    expect(await synchronous()).toBe(1);
    await app.$transaction(async (tx) => tx.$executeRawUnsafe('UPDATE "T" SET "v" = 5'));
    expect(await synchronous()).toBe(1);
  });

  // Each transaction used to leave its connection open (file handles, page cache, statements) until a garbage
  // collection: hundreds of them under a write load.
  test("transactions leave no connection open behind them", async () => {
    const handles = () =>
      readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    await app.$queryRawUnsafe("SELECT 1");
    const before = handles();
    for (let i = 0; i < 50; i += 1) {
      await app.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "T" SET "v" = "v" + 1');
      });
    }
    expect(handles()).toBe(before);
    expect(await value()).toBe(50);
  });

  test("a transaction that holds the write lock for over a second is logged with its first statement", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => {});
    try {
      await app.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "T" SET "v" = 6');
      });
      expect(warn).not.toHaveBeenCalled();
      await app.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "T" SET "v" = 7');
        await new Promise((resolve) => setTimeout(resolve, 1_100));
      });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/held SQLite's write lock for \d+ ms \(it began with: UPDATE "T" SET "v" = 7\)/);
    } finally {
      warn.mockRestore();
    }
  });

  test("a transaction that reads, then writes after another process wrote meanwhile, commits (it holds the lock from its start)", async () => {
    const slow = new PrismaClient({ adapter: new GuardedPrismaLibSql({ url: `file:${file}` }) });
    try {
      await slow.$transaction(async (tx) => {
        await tx.$queryRawUnsafe('SELECT "v" FROM "T"');
        // Another process writes now: it waits for this transaction's lock, or commits first and leaves it a stale snapshot.
        spawn(
          process.execPath,
          [
            "-e",
            `const { createClient } = require("@libsql/client");
             const other = createClient({ url: ${JSON.stringify(`file:${file}`)} });
             other.execute("PRAGMA busy_timeout = 5000").then(() => other.execute('UPDATE "T" SET "v" = "v" + 100'));`,
          ],
          { stdio: "inherit" },
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await tx.$executeRawUnsafe('UPDATE "T" SET "v" = "v" + 1');
      });
    } finally {
      await slow.$disconnect();
    }
    await expect.poll(value, { timeout: 5_000 }).toBe(101);
  });
});
