import { beforeAll, expect, test } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { chartWindow } from "@/lib/metrics/chart/chart-query";
import { toRollupRow } from "@/lib/metrics/rollup/rollup-rows";
import { writeRollupRows } from "@/lib/metrics/rollup/rollup-store";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { previewAlertRule } from "./preview";
import { ZAlertRule } from "./rule-schema";

const minute = 60_000;
const now = Math.floor(Date.now() / minute) * minute;
// The chart's 24 h steps: the spike below covers whole steps of it.
const { first, stepMs } = chartWindow({ range: { preset: "24h" }, now });
const spikeFrom = first + 100 * stepMs;
const spikeTo = spikeFrom + 6 * stepMs;

beforeAll(async () => {
  await migrateDatabase();
  await registerInstance({ input: ZRegisterInstance.parse({ service: "previewed", id: "previewed-1", host: "127.0.0.1", port: 9000 }) });
  // A day of 1-minute rows, 1 % errors, and half an hour at 30 %.
  const rows = [];
  for (let at = first - 2 * 3_600_000; at < now; at += minute) {
    const errors = at >= spikeFrom && at < spikeTo ? 1800 : 60;
    rows.push(
      toRollupRow({
        key: { scope: "service", service: "previewed", instanceId: "", peer: "" },
        resolution: 60,
        atMs: at,
        signals: { requests: 6000, errors, buckets: null, summary: { p50: 4, p95: 8, p99: 12 } },
      }),
    );
  }
  await writeRollupRows(rows);
});

test("the preview fires over the spike, after its hold, and not elsewhere", async () => {
  const input = ZAlertRule.parse({ name: "Spike", service: "previewed", kind: "error-rate", threshold: 10, window: "5m", for: "10m" });
  const preview = await previewAlertRule({ input, service: "previewed", now });
  expect(preview.unavailable).toBeNull();
  expect(preview.stepMs).toBe(stepMs);
  // The 5 min window is over 10 % from the spike's first step's end; held 10 min, it fires two steps later, until the spike ends.
  expect(preview.firing).toEqual([{ from: spikeFrom + 2 * stepMs, to: spikeTo }]);
  expect(preview.points.find((point) => point.t === spikeFrom)).toMatchObject({ state: "pending", value: 30 });
  expect(preview.points.find((point) => point.t === first)).toMatchObject({ state: "inactive", value: 1 });
});

test("a burn rate reads errors only, over its long and short windows", async () => {
  const input = ZAlertRule.parse({ name: "Budget", service: "previewed", kind: "burn-rate", threshold: 14.4, window: "1h", objective: 99, sloWindow: "30d" });
  const preview = await previewAlertRule({ input, service: "previewed", now });
  // 30 % errors for 30 min: the 1 h window burns 15.5× (30 % for half of it, 1 % for the rest, over a 1 % budget), the 5 min one 30×.
  expect(preview.firing).toHaveLength(1);
  expect(preview.firing[0]!.to).toBe(spikeTo);
});

test("instance counts have no history: no preview, said why", async () => {
  const input = ZAlertRule.parse({ name: "Thin", service: "previewed", kind: "instances", threshold: 2 });
  expect((await previewAlertRule({ input, service: "previewed", now })).unavailable).toMatch(/not kept over time/);
});
