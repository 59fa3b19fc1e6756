import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { decodeSettingJson, encodeSettingJson } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { ZDuration } from "@/lib/duration";
import { hostOfUrl, policyHostCheck } from "@/lib/net/address-policy";
import { defaultMetricNames } from "./types";

const settingKey = "metrics";

const ZName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric or label name");
const ZNames = z.array(ZName).min(1, "name at least one").max(16, "at most 16");

export const ZMetricNames = z.strictObject({
  serverDuration: ZNames.default(defaultMetricNames.serverDuration),
  serverRequests: ZNames.default(defaultMetricNames.serverRequests),
  clientDuration: ZNames.default(defaultMetricNames.clientDuration),
  clientRequests: ZNames.default(defaultMetricNames.clientRequests),
  statusLabels: ZNames.default(defaultMetricNames.statusLabels),
  calleeLabel: ZName.default(defaultMetricNames.calleeLabel),
});

/** Where metrics come from: each instance's endpoint, or a Prometheus server that already scrapes the fleet. */
export const ZMetricsSettings = z
  .strictObject({
    source: z.enum(["scrape", "prometheus"], { error: "must be scrape or prometheus" }).default("scrape"),
    prometheusUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .check(policyHostCheck(hostOfUrl))
      .nullable()
      .default(null),
    // Each 10 s rollup window must hold whole scrapes: 1s, 2s, 5s or 10s.
    interval: ZDuration.pipe(z.number().refine((ms) => [1000, 2000, 5000, 10_000].includes(ms), "must be 1s, 2s, 5s or 10s")).default(10_000),
    timeout: ZDuration.pipe(z.number().min(100, "must be at least 100ms")).default(5000),
    names: ZMetricNames.default(ZMetricNames.parse({})),
  })
  .superRefine((settings, ctx) => {
    if (settings.timeout >= settings.interval) ctx.addIssue({ code: "custom", path: ["timeout"], message: "must be shorter than the interval" });
    if (settings.source === "prometheus" && !settings.prometheusUrl)
      ctx.addIssue({ code: "custom", path: ["prometheusUrl"], message: "is needed to read from Prometheus" });
  });

export type TMetricsSettings = z.infer<typeof ZMetricsSettings>;

export const defaultMetricsSettings: TMetricsSettings = ZMetricsSettings.parse({});

// The collector reads them before each refresh; an admin's change is seen within this long.
const cacheMs = 5000;
let cached: { value: TMetricsSettings; readAt: number } | undefined;

export async function getMetricsSettings(): Promise<TMetricsSettings> {
  if (cached && Date.now() - cached.readAt < cacheMs) return cached.value;
  const row = await db.setting.findUnique({ where: { key: settingKey }, select: { value: true } });
  // Stored settings were valid when saved; defaults added since fill in what they lack.
  const parsed = row ? ZMetricsSettings.safeParse(decodeSettingJson(row.value)) : undefined;
  cached = { value: parsed?.success ? parsed.data : defaultMetricsSettings, readAt: Date.now() };
  return cached.value;
}

export async function setMetricsSettings({ actor, settings }: { actor: TActor; settings: TMetricsSettings }) {
  await transaction(async (tx) => {
    const before = (await tx.setting.findUnique({ where: { key: settingKey } }))?.value;
    const value = encodeSettingJson(settings);
    await tx.setting.upsert({ where: { key: settingKey }, create: { key: settingKey, value }, update: { value } });
    await recordAudit(tx, {
      actor,
      action: "settings.metrics",
      target: `setting/${settingKey}`,
      before: before ? (decodeSettingJson(before) ?? defaultMetricsSettings) : defaultMetricsSettings,
      after: settings,
    });
  });
  cached = undefined;
}
