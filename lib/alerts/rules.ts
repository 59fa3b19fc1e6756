import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { alertStateSelect, ruleSelect } from "./alert-selects";
import { endInAlertmanager, type TAlertRow } from "./alertmanager";
import { endedForAudit, endRuleAlerts, readRuleSilences } from "./end-rule-alerts";
import { maxAlertRules, type TAlertRule, type TAlertRuleFields } from "./rule-schema";

function toColumns(input: TAlertRuleFields) {
  return {
    name: input.name,
    service: input.service ?? null,
    tag: input.tag ?? null,
    kind: input.kind,
    threshold: input.threshold,
    windowMs: input.window,
    forMs: input.for,
    objective: input.objective ?? null,
    sloWindowMs: input.sloWindow ?? null,
    severity: input.severity,
    enabled: input.enabled,
  };
}

// What the audit log keeps of a rule: its fields, not its id (the target names it).
const audited = ({ id: _id, ...rest }: TAlertRule) => rest;

async function assertNameFree(tx: Tx, { name, id }: { name: string; id?: string }) {
  const taken = await tx.alertRule.findUnique({ where: { name }, select: { id: true } });
  if (taken && taken.id !== id) throw new AppError("conflict", `a rule named '${name}' exists`, "name");
}

/** Adds a rule; audited. */
export async function createAlertRule({ actor, input }: { actor: TActor; input: TAlertRuleFields }): Promise<TAlertRule> {
  return transaction(async (tx) => {
    if ((await tx.alertRule.count()) >= maxAlertRules) throw new AppError("conflict", `there are ${maxAlertRules} rules, the most kept; delete one first`);
    await assertNameFree(tx, { name: input.name });
    const rule = await tx.alertRule.create({ data: { ...toColumns(input), createdBy: actor.name }, select: ruleSelect });
    await recordAudit(tx, { actor, action: "alert-rule.create", target: `alert-rule/${rule.name}`, service: rule.service ?? undefined, after: audited(rule) });
    return rule;
  });
}

/**
 * Replaces a rule's fields; its alerts start over (their state belonged to the old condition), and a disabled rule's
 * end at once. Alertmanager hears the end of any alert it may hold under the old name or severity. Audited.
 */
export async function updateAlertRule({
  actor,
  id,
  input,
  now = Date.now(),
  alertmanager,
}: {
  actor: TActor;
  id: string;
  input: TAlertRuleFields;
  now?: number;
  /** Alertmanager's base URL, when not MESHDECK_ALERTMANAGER_URL's. */
  alertmanager?: string;
}): Promise<TAlertRule> {
  const silenced = await readRuleSilences({ ruleId: id, now });
  const { rule, ended } = await transaction(async (tx) => {
    const before = await tx.alertRule.findUnique({ where: { id }, select: ruleSelect });
    if (!before) throw new AppError("not_found", "no such alert rule", "id");
    await assertNameFree(tx, { name: input.name, id });
    const relabelled = input.name !== before.name || input.severity !== before.severity;
    // Read before the update: Alertmanager holds them under the old labels.
    const held = await tx.alertState.findMany({ where: { ruleId: id, state: { not: "pending" } }, select: alertStateSelect });
    const rule = await tx.alertRule.update({ where: { id }, data: toColumns(input), select: ruleSelect });
    let ended: TAlertRow[];
    if (before.enabled && !rule.enabled) ended = await endRuleAlerts(tx, { ruleId: id, reason: "rule disabled", now, silenced });
    else {
      await tx.alertState.deleteMany({ where: { ruleId: id, state: { not: "firing" } } });
      // The firing ones go on under the new labels, posted at the next round.
      if (relabelled) await tx.alertState.updateMany({ where: { ruleId: id, state: "firing" }, data: { notifiedAt: null } });
      ended = held.filter((alert) => alert.state === "resolved" || relabelled);
    }
    await recordAudit(tx, {
      actor,
      action: "alert-rule.update",
      target: `alert-rule/${rule.name}`,
      service: rule.service ?? undefined,
      before: audited(before),
      after: { ...audited(rule), ...endedForAudit(ended) },
    });
    return { rule, ended: ended.map((alert) => ({ ...alert, rule: before })) };
  });
  await endInAlertmanager({ alerts: ended, now, url: alertmanager, silenced });
  return rule;
}

/** Removes a rule and its alerts, which end at once: resolved in the history, ended in Alertmanager. Audited. */
export async function deleteAlertRule({ actor, id, now = Date.now(), alertmanager }: { actor: TActor; id: string; now?: number; alertmanager?: string }) {
  const silenced = await readRuleSilences({ ruleId: id, now });
  const ended = await transaction(async (tx) => {
    const rule = await tx.alertRule.findUnique({ where: { id }, select: ruleSelect });
    if (!rule) throw new AppError("not_found", "no such alert rule", "id");
    const ended = await endRuleAlerts(tx, { ruleId: id, reason: "rule deleted", now, silenced });
    await tx.alertRule.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      action: "alert-rule.delete",
      target: `alert-rule/${rule.name}`,
      service: rule.service ?? undefined,
      before: audited(rule),
      after: endedForAudit(ended),
    });
    return ended;
  });
  await endInAlertmanager({ alerts: ended, now, url: alertmanager, silenced });
}

/** Every rule, by name: at most maxAlertRules. */
export async function listAlertRules(): Promise<TAlertRule[]> {
  return db.alertRule.findMany({ orderBy: { name: "asc" }, select: ruleSelect, take: maxAlertRules });
}

export async function getAlertRuleOrThrow({ id }: { id: string }): Promise<TAlertRule> {
  const rule = await db.alertRule.findUnique({ where: { id }, select: ruleSelect });
  if (!rule) throw new AppError("not_found", "no such alert rule", "id");
  return rule;
}

/** The services with an instance carrying each tag the rules name: one read per tag (a few), never one per service. */
export async function servicesByTag(rules: TAlertRule[]): Promise<Map<string, string[]>> {
  const byTag = new Map<string, string[]>();
  for (const tag of new Set(rules.flatMap((rule) => (rule.tag === null ? [] : [rule.tag])))) {
    const rows = await db.service.findMany({
      where: { instances: { some: { tags: { contains: JSON.stringify(tag) } } } },
      select: { name: true },
      orderBy: { name: "asc" },
    });
    byTag.set(
      tag,
      rows.map((row) => row.name),
    );
  }
  return byTag;
}
