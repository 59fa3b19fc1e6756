// The nginx driver against Debian's real nginx: the catalog rendered, tested and reloaded; a refused rendering
// leaves the last good file; a file edited by hand is written again.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eventually } from "@/tests/support/eventually";
import { startNginx, type TNginx } from "@/tests/support/nginx";

let nginx: TNginx;
let lib: {
  db: typeof import("@/lib/db").db;
  NginxDriver: typeof import("./nginx-driver").NginxDriver;
};
let planeId = "";

beforeAll(async () => {
  nginx = await startNginx({ extraHttp: ["upstream taken { server 127.0.0.1:9; }"] });
  // Read once by lib/env: set before anything reads it.
  process.env.MESHDECK_NGINX_DIR = nginx.includeDir;
  process.env.MESHDECK_NGINX_CONF = nginx.config;
  const [{ db }, { migrateDatabase }, { NginxDriver }] = await Promise.all([import("@/lib/db"), import("@/lib/db/migrate"), import("./nginx-driver")]);
  await migrateDatabase();
  lib = { db, NginxDriver };
  planeId = (await db.dataPlane.create({ data: { name: "edge", kind: "nginx", address: "meshdeck.conf", createdBy: "test" } })).id;
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
});

/** A catalog change as lib/catalog makes it: rows, then the catalog index moved. */
async function setService(name: string, instances: { id: string; port: number; weight?: number; enabled?: boolean }[]) {
  const { db } = lib;
  const service = await db.service.upsert({ where: { name }, create: { name }, update: {} });
  await db.instance.deleteMany({ where: { serviceId: service.id } });
  for (const instance of instances) {
    await db.instance.create({
      data: {
        serviceId: service.id,
        instanceId: instance.id,
        host: "127.0.0.1",
        port: instance.port,
        weight: instance.weight ?? 100,
        enabled: instance.enabled ?? true,
        health: "passing",
      },
    });
  }
  await db.counter.upsert({ where: { name: "catalog" }, create: { name: "catalog", value: 1 }, update: { value: { increment: 1 } } });
}

const file = () => readFileSync(join(nginx.includeDir, "meshdeck.conf"), "utf8");
// One line per reload: "signal 1 (SIGHUP) received from <pid>, reconfiguring".
const reloads = () => nginx.log().match(/SIGHUP\) received/g)?.length ?? 0;
/** nginx -s reload returns once the signal is sent; the master logs it a moment later. */
const reloaded = (count: number) =>
  eventually(
    async () => reloads(),
    (seen) => seen >= count,
    { timeoutMs: 5000, everyMs: 20 },
  );

describe("nginx driver", () => {
  test("renders, tests and reloads; a refused rendering keeps the last good file; a hand edit is written again", async () => {
    const driver = new lib.NginxDriver({ id: planeId, name: "edge", address: "meshdeck.conf", backends: null });
    await setService("web", [
      { id: "web-1", port: 9101, weight: 100 },
      { id: "web-2", port: 9102, weight: 300, enabled: false },
    ]);
    await driver.applyOnce();
    expect(file()).toContain("upstream web {\n    server 127.0.0.1:9101 weight=100; # web-1\n    server 127.0.0.1:9102 down; # web-2\n}");
    await reloaded(1);

    await setService("taken", [{ id: "taken-1", port: 9103 }]);
    const good = file();
    await driver.applyOnce();
    expect(file()).toBe(good);
    const row = await lib.db.dataPlane.findUniqueOrThrow({ where: { id: planeId } });
    expect(row.error).toMatch(/nginx -t refused the last rendering; the last good file is kept: .*duplicate upstream "taken"/);
    expect((await lib.db.auditEvent.findMany({ where: { action: "dataplane.rejected" } })).length).toBe(1);
    // The same refused rendering again: not tried, not recorded again.
    await driver.applyOnce();
    expect((await lib.db.auditEvent.findMany({ where: { action: "dataplane.rejected" } })).length).toBe(1);

    await lib.db.service.delete({ where: { name: "taken" } });
    await setService("web", [{ id: "web-1", port: 9101, weight: 500 }]);
    await driver.applyOnce();
    expect(file()).toContain("server 127.0.0.1:9101 weight=500; # web-1");
    await reloaded(2);

    writeFileSync(join(nginx.includeDir, "meshdeck.conf"), "# by hand\n");
    await driver.applyOnce();
    expect(file()).toContain("weight=500; # web-1");
    await reloaded(3);
    expect((await lib.db.auditEvent.findMany({ where: { action: "dataplane.drift" } })).length).toBe(1);
    // Refused renderings were never reloaded: three reloads in all.
    expect(reloads()).toBe(3);
  });
});
