import { beforeAll, describe, expect, test } from "vitest";
import { setServiceStatus } from "@/lib/collector/set-service-status";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { toRollupRow } from "@/lib/metrics/rollup/rollup-rows";
import { writeRollupRows } from "@/lib/metrics/rollup/rollup-store";
import { getServiceStatus } from "./queries";
import { listServiceNames, listServicePage } from "./service-list";
import { parseServiceListQuery } from "./service-list-query";
import { setServiceObjectives } from "./set-service-objectives";

const operator = { type: "user", id: "u-op", name: "op@example.com", role: "operator" } as const;
const retainMs = { 10: 6 * 3_600_000, 60: 7 * 86_400_000, 3600: 90 * 86_400_000 };
const now = Math.floor(Date.now() / 10_000) * 10_000;

// name -> instances' health, tags, and per-10 s window: requests, errors, and the share of requests over 0.5 s.
const fleet: Record<string, { health: string[]; tags?: string[]; requests?: number; errors?: number; slow?: number }> = {
  orders: { health: ["passing", "passing", "passing"], tags: ["shop"], requests: 100, errors: 5, slow: 0.1 },
  payments: { health: ["passing", "critical", "critical"], requests: 100, errors: 0, slow: 0 },
  users: { health: ["passing", "passing"], tags: ["shop"], requests: 200, errors: 0, slow: 0 },
  quiet: { health: ["passing"], requests: 0 },
  unscraped: { health: ["passing"] },
  empty: { health: [] },
};

async function writeSignals(service: string, { requests, errors, slow }: { requests: number; errors: number; slow: number }, windows = 12) {
  const rows = Array.from({ length: windows }, (_, i) =>
    toRollupRow({
      key: { scope: "service", service, instanceId: "", peer: "" },
      resolution: 10,
      atMs: now - (i + 1) * 10_000,
      signals: {
        requests,
        errors,
        buckets: [
          [0.5, requests * (1 - slow)],
          [1, requests],
          [Infinity, requests],
        ],
        summary: null,
      },
    }),
  );
  await writeRollupRows(rows);
}

const list = async (search: string) => (await listServicePage({ query: parseServiceListQuery(new URLSearchParams(search)), now })).services;
const names = async (search: string) => (await list(search)).map((service) => service.name);

beforeAll(async () => {
  await migrateDatabase();
  for (const [name, { health, tags = [], requests, errors = 0, slow = 0 }] of Object.entries(fleet)) {
    await db.service.create({
      data: {
        name,
        instances: {
          create: health.map((state, i) => ({ instanceId: `${name}-${i + 1}`, host: "10.0.0.1", port: 8000 + i, health: state, tags: JSON.stringify(tags) })),
        },
      },
    });
    if (requests !== undefined) await writeSignals(name, { requests, errors, slow });
  }
});

describe("the service status job and the services list, on a database", () => {
  test("every service is judged from its instances and its rollups, set-based, and its changes kept", async () => {
    expect(await setServiceStatus({ now, retainMs })).toEqual({ services: 6, changed: 4 });
    const statuses = Object.fromEntries((await list("limit=200")).map((service) => [service.name, [service.status, service.statusReason]]));
    expect(statuses).toEqual({
      orders: ["degraded", "errors 5 % > 1 %; p99 950 ms > 500 ms"],
      payments: ["failing", "2 of 3 instances critical"],
      users: ["healthy", "objectives met"],
      quiet: ["idle", "no requests"],
      unscraped: ["healthy", "checks passing; no metrics scraped"],
      empty: ["idle", "no instance registered"],
    });
    // Nothing changed: no history row, and `since` stays.
    const since = (await getServiceStatus({ name: "orders" })).status?.since;
    expect(await setServiceStatus({ now: now + 10_000, retainMs })).toEqual({ services: 6, changed: 0 });
    expect((await getServiceStatus({ name: "orders" })).status?.since).toBe(since);
    expect((await getServiceStatus({ name: "orders" })).history).toEqual([expect.objectContaining({ from: "idle", to: "degraded" })]);
  });

  test.each([
    // Ties broken by errors (unmeasured last), then name.
    ["sort=status", ["payments", "orders", "users", "unscraped", "empty", "quiet"]],
    ["", ["empty", "orders", "payments", "quiet", "unscraped", "users"]],
    ["sort=name&order=desc", ["users", "unscraped", "quiet", "payments", "orders", "empty"]],
    ["sort=rps", ["users", "orders", "payments", "quiet", "empty", "unscraped"]],
    ["sort=errors", ["orders", "payments", "users", "empty", "quiet", "unscraped"]],
    ["sort=p99&order=asc", ["payments", "users", "orders", "empty", "quiet", "unscraped"]],
    ["status=healthy", ["unscraped", "users"]],
    ["status=idle", ["empty", "quiet"]],
    ["tag=shop", ["orders", "users"]],
    ["q=ERS", ["orders", "users"]],
    ["source=builtin&q=pay", ["payments"]],
    ["source=etcd", []],
    ["limit=2&page=2", ["payments", "quiet"]],
    ["limit=2&page=9", []],
  ])("?%s lists %j", async (search, expected) => {
    expect(await names(search)).toEqual(expected);
  });

  test("a page says how many match and carries each service's signals and sparklines", async () => {
    const page = await listServicePage({ query: parseServiceListQuery(new URLSearchParams("limit=2&sort=errors")), now });
    expect(page).toMatchObject({ total: 6, page: 1, pages: 3 });
    expect(page.services[0]).toMatchObject({ name: "orders", status: "degraded", instances: { total: 3, passing: 3 }, tags: ["shop"] });
    expect(page.services[0]!.signals.rps).toBeCloseTo(10);
    expect(page.services[0]!.signals.errorRate).toBeCloseTo(0.05);
    // No 1 min rows were written: no sparkline yet.
    expect(page.services[0]!.sparklines).toEqual({ rps: [], p99: [] });
  });

  test.each([
    ["fields=name&limit=2", { total: 6, names: ["empty", "orders"] }],
    ["fields=name&q=er&limit=20", { total: 2, names: ["orders", "users"] }],
    ["fields=name&tag=shop&limit=1", { total: 2, names: ["orders"] }],
  ])("the picker's ?%s answers only names, at most the limit", async (search, expected) => {
    expect(await listServiceNames({ query: parseServiceListQuery(new URLSearchParams(search)) })).toEqual(expected);
  });

  test("objectives are set with an audit record, and the next judgement follows them", async () => {
    const set = await setServiceObjectives({ actor: operator, name: "orders", input: { errorRate: 0.06, p99Ms: 1000, reason: "batch traffic" } });
    expect(set.objectives).toEqual({ errorRate: 0.06, p99Ms: 1000, availability: 0.995 });
    const audit = await db.auditEvent.findFirst({ where: { action: "service.objectives", service: "orders" } });
    expect(audit).toMatchObject({ target: "service/orders", reason: "batch traffic" });
    expect(audit!.before).toEqual({ errorRate: 0.01, p99Ms: 500, availability: 0.995 });
    expect(await setServiceStatus({ now: now + 20_000, retainMs })).toMatchObject({ changed: 1 });
    const view = await getServiceStatus({ name: "orders" });
    expect(view.status).toMatchObject({ status: "healthy", reason: "objectives met" });
    expect(view.history.map((change) => `${change.from}>${change.to}`)).toEqual(["degraded>healthy", "idle>degraded"]);
    await expect(setServiceObjectives({ actor: operator, name: "nobody", input: { errorRate: 0.5 } })).rejects.toMatchObject({ code: "not_found" });
  });
});
