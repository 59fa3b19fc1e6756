import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";
import { getEnv, getPublicUrl } from "@/lib/env";
import { log } from "@/lib/log";
import { hostRefusal } from "@/lib/net/address-policy";
import { sendOutbound } from "@/lib/net/outbound-http";
import { coveredBy, findSilenced } from "@/lib/notify/silences";
import { writeMoment } from "@/lib/time/range";
import { alertStateSelect } from "./alert-selects";
import { describeRule, formatAlertValue } from "./rule-schema";

// Prometheus Alertmanager's v2 API: firing alerts are posted again every minute with an end 4 minutes on (what
// Prometheus does), so an alert Meshdeck stops telling lapses; a resolved one is posted once with its end.
export const resendMs = 60_000;
const lapseMs = 4 * resendMs;
const timeoutMs = 5000;
// Alerts per POST: a fleet-wide outage is a few requests, not one per service.
const batch = 500;
// A resolved alert Alertmanager never heard of is dropped after this, reachable or not.
const keepResolvedMs = 3_600_000;

/** Alertmanager's base URL (MESHDECK_ALERTMANAGER_URL unless given), or null when none is set or the address policy refuses its host. */
export function alertmanagerUrl(url = getEnv().MESHDECK_ALERTMANAGER_URL): string | null {
  if (!url) return null;
  const refusal = hostRefusal(new URL(url).hostname);
  if (refusal) {
    log.warn(`MESHDECK_ALERTMANAGER_URL refused by address policy: ${refusal}`);
    return null;
  }
  return url;
}

async function callAlertmanager(base: string, { method, path, body }: { method: "GET" | "POST"; path: string; body?: unknown }) {
  const answer = await sendOutbound({
    url: new URL(`${base}${path}`),
    method,
    headers: { "content-type": "application/json", accept: "application/json", "user-agent": "Meshdeck-Alerts/1" },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs,
  });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`Alertmanager answered ${answer.status} to ${method} ${path}: ${answer.text.slice(0, 200)}`);
  return answer.text;
}

/** The service's page with its chart over the alert's time: from a while before it began to its end (or now). */
export function alertLink({ service, from, to }: { service: string; from: number; to: number }): string {
  const query = new URLSearchParams({ from: writeMoment(from), to: writeMoment(Math.max(to, from + 60_000)) });
  return `${getPublicUrl()}/services/${encodeURIComponent(service)}?${query}`;
}

/** An alert as stored with its rule (alertStateSelect): what Alertmanager is told of. */
export type TAlertRow = Awaited<ReturnType<typeof readDue>>[number];

function readDue(now: number) {
  return db.alertState.findMany({
    where: { OR: [{ state: "resolved" }, { state: "firing", OR: [{ notifiedAt: null }, { notifiedAt: { lte: new Date(now - resendMs) } }] }] },
    orderBy: { changedAt: "asc" },
    take: batch,
    select: alertStateSelect,
  });
}

function toAlert(due: TAlertRow, now: number) {
  const activeAt = due.activeAt.getTime();
  const end = due.state === "resolved" ? due.changedAt.getTime() : now;
  // The chart shows half an hour before the condition began, to a few minutes after the end (never past now).
  const [from, to] = [activeAt - 30 * 60_000, Math.min(end + 5 * 60_000, now)];
  const link = alertLink({ service: due.service, from, to });
  return {
    labels: { alertname: due.rule.name, service: due.service, severity: due.rule.severity },
    annotations: {
      summary: `${due.service}: ${describeRule(due.rule)}`,
      description: `${due.rule.name} on ${due.service}: ${formatAlertValue(due.rule.kind, due.value)} when it changed`,
      meshdeck_url: link,
      chart_from: writeMoment(from),
      chart_to: writeMoment(to),
    },
    startsAt: due.activeAt.toISOString(),
    endsAt: new Date(due.state === "resolved" ? end : now + lapseMs).toISOString(),
    generatorURL: `${getPublicUrl()}/alerts`,
  };
}

let failures = 0;

/**
 * Tells Alertmanager what fires (again every minute) and what resolved (once), unless its service is silenced in
 * Meshdeck; a resolved alert leaves the table once told. Without an Alertmanager, resolved alerts leave at once.
 */
export async function notifyAlertmanager({ now = Date.now(), url }: { now?: number; url?: string } = {}): Promise<number> {
  const base = alertmanagerUrl(url);
  if (!base) {
    await db.alertState.deleteMany({ where: { state: "resolved" } });
    return 0;
  }
  await db.alertState.deleteMany({ where: { state: "resolved", changedAt: { lt: new Date(now - keepResolvedMs) } } });
  const due = await readDue(now);
  if (due.length === 0) return 0;
  const silenced = await findSilenced({ services: due.map((row) => row.service), now: new Date(now) });
  const told = due.filter((row) => !coveredBy(silenced, { service: row.service, instanceId: null }));
  if (told.length > 0) {
    try {
      await callAlertmanager(base, { method: "POST", path: "/api/v2/alerts", body: told.map((row) => toAlert(row, now)) });
      if (failures > 0) log.info("Alertmanager reachable again");
      failures = 0;
    } catch (error) {
      failures += 1;
      if ((failures & (failures - 1)) === 0) log.warn(`posting ${told.length} alerts to Alertmanager failed (${failures} tries); retrying`, error);
      return 0;
    }
  }
  // A firing alert whose rule was deleted, disabled or relabelled while it was posted was posted back to life: end it.
  const stale = await findStale(told.filter((row) => row.state === "firing"));
  if (stale.length > 0) await endInAlertmanager({ alerts: stale, now, url: base, silenced: new Map() });
  // A silenced alert counts as told: it is looked at again in a minute, when the silence may be over.
  for (const chunk of chunked(due, 400)) {
    const pairs = chunk.map(({ ruleId, service }) => ({ ruleId, service }));
    await db.alertState.updateMany({ where: { state: "firing", OR: pairs }, data: { notifiedAt: new Date(now) } });
    await db.alertState.deleteMany({ where: { state: "resolved", OR: pairs } });
  }
  return told.length;
}

/** Of these firing alerts, the ones no longer firing under the same labels (their rule deleted, disabled or renamed): at most `batch`, read in chunks. */
async function findStale(firing: TAlertRow[]): Promise<TAlertRow[]> {
  const labelsNow = new Map<string, { name: string; severity: string }>();
  for (const chunk of chunked(firing, 400)) {
    const rows = await db.alertState.findMany({
      where: { state: "firing", OR: chunk.map(({ ruleId, service }) => ({ ruleId, service })) },
      select: { ruleId: true, service: true, rule: { select: { name: true, severity: true } } },
    });
    for (const row of rows) labelsNow.set(`${row.ruleId}\u0000${row.service}`, row.rule);
  }
  return firing.filter((row) => {
    const labels = labelsNow.get(`${row.ruleId}\u0000${row.service}`);
    return !labels || labels.name !== row.rule.name || labels.severity !== row.rule.severity;
  });
}

/**
 * Ends these alerts in Alertmanager now (their rule was deleted, disabled or relabelled): posted once more with
 * `endsAt` now, as a resolved alert is, unless silenced in Meshdeck. Unreachable, they lapse at their endsAt.
 */
export async function endInAlertmanager({
  alerts,
  now = Date.now(),
  url,
  silenced,
}: {
  alerts: TAlertRow[];
  now?: number;
  url?: string;
  silenced?: Map<string, Set<string>>;
}): Promise<number> {
  const base = alertmanagerUrl(url);
  if (!base || alerts.length === 0) return 0;
  const held = silenced ?? (await findSilenced({ services: alerts.map((row) => row.service), now: new Date(now) }));
  const told = alerts.filter((row) => !coveredBy(held, { service: row.service, instanceId: null }));
  for (const chunk of chunked(told, batch)) {
    try {
      await callAlertmanager(base, {
        method: "POST",
        path: "/api/v2/alerts",
        // A resolved one keeps its end; a firing one ends now.
        body: chunk.map((row) => toAlert(row.state === "resolved" ? row : { ...row, state: "resolved", changedAt: new Date(now) }, now)),
      });
    } catch (error) {
      log.warn(`ending ${chunk.length} alerts in Alertmanager failed; they lapse there within ${lapseMs / 60_000} min`, error);
      return 0;
    }
  }
  return told.length;
}

const ZSilence = z.object({
  id: z.string(),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional() })),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
  status: z.object({ state: z.string() }),
});
export type TAlertmanagerSilence = z.infer<typeof ZSilence>;

// The page shows this many; an Alertmanager with more says so.
const silencesShown = 100;

/** Alertmanager's active silences (GET /api/v2/silences), or why they cannot be read; null without an Alertmanager. */
export async function listAlertmanagerSilences({ url }: { url?: string } = {}): Promise<{
  silences: TAlertmanagerSilence[];
  more: number;
  error: string | null;
} | null> {
  const base = alertmanagerUrl(url);
  if (!base) return null;
  try {
    const text = await callAlertmanager(base, { method: "GET", path: "/api/v2/silences" });
    const parsed = z.array(ZSilence).safeParse(JSON.parse(text));
    if (!parsed.success) return { silences: [], more: 0, error: "Alertmanager's answer is not a list of silences" };
    const active = parsed.data.filter((silence) => silence.status.state === "active").sort((a, b) => a.endsAt.localeCompare(b.endsAt));
    return { silences: active.slice(0, silencesShown), more: Math.max(0, active.length - silencesShown), error: null };
  } catch (error) {
    return { silences: [], more: 0, error: error instanceof Error ? error.message : String(error) };
  }
}
