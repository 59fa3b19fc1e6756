import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { adminAndToken } from "../support/client";
import { startEtcd, type TEtcd } from "../support/etcd";

// Scale-out: with several collectors on one PostgreSQL each source is synced by exactly one of them; when that one
// dies without a word (kill -9), another takes the source within seconds and resyncs without phantom events.
const target = inject("targets").find((candidate) => candidate.name === "postgresql")!;
const collectors: ChildProcess[] = [];
let etcd: TEtcd;

function startCollector(): ChildProcess {
  // tsx as a loader, not its CLI: the collector's own pid is then the child's, and its id names it.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "collector/index.ts"], {
    detached: true,
    stdio: "ignore",
    env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: target.databaseUrl, MESHDECK_LOG_LEVEL: "error" },
  });
  collectors.push(child);
  return child;
}

// A collector's id is `<host>-<pid>-<random>`.
const pidOf = (collectorId: string) => Number(collectorId.split("-").at(-2));

beforeAll(async () => {
  etcd = await startEtcd();
}, 60_000);

afterAll(async () => {
  for (const child of collectors) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await etcd?.stop();
});

test("a source's collector killed without a word: another takes it within seconds, and it stays in sync", async () => {
  const { admin } = await adminAndToken(target, "source-takeover");
  const spawned = [startCollector(), startCollector()];
  const spawnedPids = new Set(spawned.map((child) => child.pid));
  const state = async (name: string) =>
    (await admin.get(`/api/v1/sources/${name}`)).body.source as { syncedBy: string | null; status: string; instances: number };
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number) => {
    const started = Date.now();
    let value = await read();
    while (!done(value) && Date.now() - started < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      value = await read();
    }
    return { value, ms: Date.now() - started };
  };
  // Sources are spread by rendezvous hashing over the three collectors (two here and the app's own): add them
  // until one lands on a collector this test may kill.
  let victim: { name: string; service: string; pid: number } | undefined;
  for (let index = 0; index < 12 && !victim; index += 1) {
    const name = `takeover-${index}-${Date.now().toString(36)}`;
    const service = `stock-${index}-${Date.now().toString(36)}`;
    await etcd.client.put(`/${name}/${service}/a`).value("http://127.0.0.1:19501");
    expect((await admin.post("/api/v1/sources", { name, kind: "etcd", convention: "url", endpoints: [etcd.endpoint], prefix: `/${name}/` })).status).toBe(201);
    const { value } = await until(
      () => state(name),
      (s) => s.status === "connected" && s.instances === 1,
      20_000,
    );
    expect(value.syncedBy).toEqual(expect.any(String));
    const pid = pidOf(value.syncedBy!);
    if (spawnedPids.has(pid)) victim = { name, service, pid };
  }
  expect(victim, "no source landed on a spawned collector").toBeDefined();
  const { name, service, pid } = victim!;
  const eventsBefore = (await admin.get(`/api/v1/events?service=${service}`)).body.events.length;

  process.kill(-pid, "SIGKILL");
  // Its collector lease lapses after 3 s and its hold on the source 4 s after the last renewal.
  const taken = await until(
    () => state(name),
    (s) => s.syncedBy !== null && pidOf(s.syncedBy) !== pid && s.status === "connected",
    20_000,
  );
  console.log(`source takeover: ${name} synced by another collector ${taken.ms} ms after its collector was killed`);
  expect(pidOf(taken.value.syncedBy!)).not.toBe(pid);
  expect(taken.ms).toBeLessThan(10_000);
  // The new owner's full listing found nothing new: no event for the unchanged instance.
  expect((await admin.get(`/api/v1/events?service=${service}`)).body.events.length).toBe(eventsBefore);
  // And it follows the source from there on.
  await etcd.client.put(`/${name}/${service}/b`).value("http://127.0.0.1:19502");
  const followed = await until(
    async () => (await admin.get(`/api/v1/services/${service}`)).body.instances.length as number,
    (n) => n === 2,
    10_000,
  );
  expect(followed.value).toBe(2);
}, 120_000);
