import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { toRollupRow } from "@/lib/metrics/rollup/rollup-rows";
import { writeRollupRows } from "@/lib/metrics/rollup/rollup-store";
import { createWebhook } from "@/lib/notify/webhooks";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { evaluateAlerts } from "./evaluate-alerts";
import { listActiveAlerts, listAlertHistory, ZAlertFilters } from "./queries";
import { ZAlertRule } from "./rule-schema";
import { createAlertRule } from "./rules";

const system = { type: "system", name: "test" } as const;
const minute = 60_000;
// A moment on a 10 s boundary, so windows line up as the collector writes them.
const t0 = Math.floor(Date.now() / 600_000) * 600_000;

/** 10 s service rows of `service` over [from, to) with this error share. */
async function traffic(service: string, { from, to, errorShare }: { from: number; to: number; errorShare: number }) {
  const rows = [];
  for (let at = from; at < to; at += 10_000) {
    rows.push(
      toRollupRow({
        key: { scope: "service", service, instanceId: "", peer: "" },
        resolution: 10,
        atMs: at,
        signals: {
          requests: 100,
          errors: 100 * errorShare,
          buckets: [
            [0.05, 90],
            [0.5, 100],
            [Infinity, 100],
          ],
          summary: null,
        },
      }),
    );
  }
  await writeRollupRows(rows);
}

const states = async () => (await listActiveAlerts()).alerts.map(({ rule, service, state }) => `${rule} ${service} ${state}`).sort();

beforeAll(async () => {
  await migrateDatabase();
  for (const [service, tags] of [
    ["checkout", ["team=shop"]],
    ["basket", ["team=shop"]],
    ["search", []],
  ] as const) {
    await registerInstance({ input: ZRegisterInstance.parse({ service, id: `${service}-1`, host: "127.0.0.1", port: 9000, tags }) });
  }
});

describe("evaluating alert rules from the rollups", () => {
  test("a tag rule covers its services; pending, firing after its hold, resolved, each change in the history", async () => {
    await createWebhook({ actor: system, input: { url: "https://example.com/hook", kinds: ["alert"] } });
    await createAlertRule({
      actor: system,
      input: ZAlertRule.parse({ name: "ShopErrors", tag: "team=shop", kind: "error-rate", threshold: 5, window: "5m", for: "30s" }),
    });
    await createAlertRule({
      actor: system,
      input: ZAlertRule.parse({ name: "SearchStopped", service: "search", kind: "request-rate", threshold: 1, window: "1m" }),
    });
    await traffic("checkout", { from: t0 - 10 * minute, to: t0, errorShare: 0.2 });
    await traffic("basket", { from: t0 - 10 * minute, to: t0, errorShare: 0 });
    await traffic("search", { from: t0 - 10 * minute, to: t0, errorShare: 0 });

    expect(await evaluateAlerts({ now: t0 })).toEqual({ rules: 2, changes: 1 });
    expect(await states()).toEqual(["ShopErrors checkout pending"]);
    await evaluateAlerts({ now: t0 + 15_000 });
    expect(await states()).toEqual(["ShopErrors checkout pending"]);
    await evaluateAlerts({ now: t0 + 30_000 });
    expect(await states()).toEqual(["ShopErrors checkout firing"]);

    // Checkout recovers and search's traffic stops: the first resolves, the second fires at once (no hold).
    await traffic("checkout", { from: t0, to: t0 + 6 * minute, errorShare: 0 });
    await traffic("basket", { from: t0, to: t0 + 6 * minute, errorShare: 0 });
    await evaluateAlerts({ now: t0 + 6 * minute });
    expect(await states()).toEqual(["SearchStopped search firing"]);

    const { history } = await listAlertHistory({ filters: ZAlertFilters.parse({}) });
    expect(history.map(({ rule, service, from, to }) => `${rule} ${service} ${from}→${to}`)).toEqual([
      expect.stringMatching(/ (checkout firing→resolved|search inactive→firing)$/),
      expect.stringMatching(/ (checkout firing→resolved|search inactive→firing)$/),
      "ShopErrors checkout pending→firing",
      "ShopErrors checkout inactive→pending",
    ]);
    expect(history.find((row) => row.to === "firing" && row.service === "checkout")?.summary).toBe("checkout: Error rate above 5 % over 5 min for 30 s (20 %)");
    // The webhook that wants alerts gets the firings and the resolution, not the pending.
    expect(await db.webhookDelivery.count()).toBe(3);
  });

  test("a service that is never scraped has no rate: a traffic-stopped rule does not fire on it", async () => {
    await registerInstance({ input: ZRegisterInstance.parse({ service: "batch", id: "batch-1", host: "127.0.0.1", port: 9001, metrics: null }) });
    await createAlertRule({
      actor: system,
      input: ZAlertRule.parse({ name: "BatchStopped", service: "batch", kind: "request-rate", threshold: 1, window: "1m" }),
    });
    await evaluateAlerts({ now: t0 + 6 * minute + 15_000 });
    expect(await states()).toEqual(["SearchStopped search firing"]);
    await db.alertRule.delete({ where: { name: "BatchStopped" } });
  });

  test("a disabled rule's firing alert resolves", async () => {
    const rule = await db.alertRule.findUniqueOrThrow({ where: { name: "SearchStopped" } });
    await db.alertRule.update({ where: { id: rule.id }, data: { enabled: false } });
    await evaluateAlerts({ now: t0 + 7 * minute });
    expect((await db.alertState.findMany({ where: { ruleId: rule.id } })).map((row) => row.state)).toEqual(["resolved"]);
  });
});
