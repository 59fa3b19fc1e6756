import "server-only";
import { takesTrafficWhere } from "@/lib/catalog/traffic-state";
import { db } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";
import { transaction } from "@/lib/db/transaction";
import { getEnv, metricsRetainMs } from "@/lib/env";
import { goldenSignals, readWindowSignals } from "@/lib/metrics/topology/topology-query-window";
import { findSilenced } from "@/lib/notify/silences";
import { evaluateCondition, nextAlertState, type TStoredAlert, type TWindowReading } from "./conditions";
import { writeAlertHistory, type TAlertStateChange } from "./alert-history";
import { ruleSelect } from "./alert-selects";
import { servicesByTag } from "./rules";
import { maxAlertRules, shortWindowOf, type TAlertRule } from "./rule-schema";

const pairKey = (ruleId: string, service: string) => `${ruleId}\u0000${service}`;

/** Which services each rule covers: its own (when registered), or every service with an instance carrying its tag. */
async function readCoverage(rules: TAlertRule[]) {
  const services = await db.service.findMany({ select: { id: true, name: true } });
  const nameOf = new Map(services.map((service) => [service.id, service.name]));
  const registered = new Set(nameOf.values());
  const byTag = await servicesByTag(rules);
  const coverage = (rule: TAlertRule): string[] =>
    rule.service !== null ? (registered.has(rule.service) ? [rule.service] : []) : (byTag.get(rule.tag ?? "") ?? []);
  return { coverage, nameOf };
}

/** Services' golden signals over each window the rules read: one set-based read of the rollups per window. */
async function readWindows(rules: TAlertRule[], now: number) {
  const windows = new Set<number>();
  for (const rule of rules) {
    if (rule.kind === "instances") continue;
    windows.add(rule.windowMs);
    if (rule.kind === "burn-rate") windows.add(shortWindowOf(rule.windowMs));
  }
  const retainMs = metricsRetainMs(getEnv());
  // Only a service with a scraped instance can be seen to stop: one that is never scraped has no rate at all.
  const scraped =
    windows.size === 0
      ? new Set<string>()
      : new Set(
          (await db.service.findMany({ where: { instances: { some: { metricsPath: { not: null } } } }, select: { name: true } })).map(
            (service) => service.name,
          ),
        );
  const read = new Map<number, (service: string) => TWindowReading | null>();
  for (const windowMs of windows) {
    const { window, services } = await readWindowSignals({ at: now, windowMs, now, retainMs, withEdges: false });
    read.set(windowMs, (service) => {
      // A window measured for the fleet but without this scraped service's rows saw no request of it: its rate is 0.
      if (window.measuredMs === 0) return null;
      const signals = goldenSignals(services.get(service), window.measuredMs);
      return { rps: signals.rps ?? (scraped.has(service) ? 0 : null), errorRate: signals.errorRate, p99: signals.p99 };
    });
  }
  return (service: string) => (windowMs: number) => read.get(windowMs)?.(service) ?? null;
}

/** Instances taking traffic per service, in one grouped read (only when a rule counts them). */
async function readInstanceCounts(rules: TAlertRule[], nameOf: Map<string, string>) {
  if (!rules.some((rule) => rule.kind === "instances")) return () => null;
  const rows = await db.instance.groupBy({ by: ["serviceId"], where: takesTrafficWhere, _count: { _all: true } });
  const byName = new Map(rows.flatMap((row) => (nameOf.has(row.serviceId) ? [[nameOf.get(row.serviceId)!, row._count._all] as const] : [])));
  // A registered service none of whose instances takes traffic has 0.
  return (service: string) => byName.get(service) ?? 0;
}

/** What is stored about the alerts that are not inactive. */
async function readStates() {
  const rows = await db.alertState.findMany({ select: { ruleId: true, service: true, state: true, activeAt: true, changedAt: true } });
  // A row never holds inactive (it is deleted then); an unreadable state reads as pending, which starts over.
  return new Map<string, TStoredAlert>(
    rows.map((row) => [
      pairKey(row.ruleId, row.service),
      { state: row.state === "inactive" ? "pending" : row.state, activeAt: row.activeAt.getTime(), changedAt: row.changedAt.getTime() },
    ]),
  );
}

/**
 * One evaluation of every enabled rule over every service it covers, from the rollups: a fixed number of set-based
 * reads (one per signal window, one per tag), then the changes of state and their history in one transaction.
 */
export async function evaluateAlerts({ now = Date.now() }: { now?: number } = {}): Promise<{ rules: number; changes: number }> {
  const rules = await db.alertRule.findMany({ where: { enabled: true }, select: ruleSelect, take: maxAlertRules });
  // No rule and no alert left to end: nothing to read (the default install).
  if (rules.length === 0 && (await db.alertState.count({ where: { state: { not: "resolved" } } })) === 0) return { rules: 0, changes: 0 };
  const [{ coverage, nameOf }, readingsOf, states] = await Promise.all([readCoverage(rules), readWindows(rules, now), readStates()]);
  const instancesOf = await readInstanceCounts(rules, nameOf);
  const changes: TAlertStateChange[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const service of coverage(rule)) {
      const key = pairKey(rule.id, service);
      seen.add(key);
      const { value, active } = evaluateCondition(rule, { over: readingsOf(service), instances: instancesOf(service) });
      const current = states.get(key);
      const next = nextAlertState({ current, active, forMs: rule.forMs, now });
      if (next.state !== (current?.state ?? "inactive")) changes.push({ rule, service, from: current?.state ?? "inactive", next, value });
    }
  }
  // An alert whose rule was disabled, or whose service lost the tag or left the catalog, ends as its condition would.
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const orphaned = [...states].filter(([key, stored]) => !seen.has(key) && stored.state !== "resolved");
  if (orphaned.length > 0) {
    // Disabled rules (a deleted one took its alerts with it): at most maxAlertRules ids.
    const ids = [...new Set(orphaned.map(([key]) => key.split("\u0000")[0]!))].filter((id) => !byId.has(id));
    const missing = await db.alertRule.findMany({ where: { id: { in: ids } }, select: ruleSelect });
    for (const rule of missing) byId.set(rule.id, rule);
    for (const [key, stored] of orphaned) {
      const [ruleId, service] = key.split("\u0000") as [string, string];
      const rule = byId.get(ruleId);
      if (!rule) continue;
      changes.push({ rule, service, from: stored.state, next: nextAlertState({ current: stored, active: false, forMs: rule.forMs, now }), value: null });
    }
  }
  if (changes.length > 0) await recordChanges(changes, now);
  return { rules: rules.length, changes: changes.length };
}

/** The changes of state, their history and the webhooks that want them, in one transaction. */
async function recordChanges(changes: TAlertStateChange[], now: number) {
  const at = new Date(now);
  const silenced = await findSilenced({ services: changes.map((change) => change.service), now: at });
  await transaction(async (tx) => {
    for (const chunk of chunked(changes, 400)) {
      await tx.alertState.deleteMany({ where: { OR: chunk.map(({ rule, service }) => ({ ruleId: rule.id, service })) } });
    }
    const kept = changes.flatMap(({ rule, service, next, value }) =>
      next.state === "inactive"
        ? []
        : [{ ruleId: rule.id, service, state: next.state, activeAt: new Date(next.activeAt), changedAt: new Date(next.changedAt), value }],
    );
    if (kept.length > 0) await tx.alertState.createMany({ data: kept });
    await writeAlertHistory(tx, { changes, at, silenced });
  });
}
