import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db, type Tx } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { maxAlertRules, type TAlertRule, type TAlertRuleFields } from "./rule-schema";

export const ruleSelect = {
  id: true,
  name: true,
  service: true,
  tag: true,
  kind: true,
  threshold: true,
  windowMs: true,
  forMs: true,
  objective: true,
  sloWindowMs: true,
  severity: true,
  enabled: true,
} as const;

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

/** Replaces a rule's fields; its alerts start over (their state belonged to the old condition). Audited. */
export async function updateAlertRule({ actor, id, input }: { actor: TActor; id: string; input: TAlertRuleFields }): Promise<TAlertRule> {
  return transaction(async (tx) => {
    const before = await tx.alertRule.findUnique({ where: { id }, select: ruleSelect });
    if (!before) throw new AppError("not_found", "no such alert rule", "id");
    await assertNameFree(tx, { name: input.name, id });
    const rule = await tx.alertRule.update({ where: { id }, data: toColumns(input), select: ruleSelect });
    await tx.alertState.deleteMany({ where: { ruleId: id, state: { not: "firing" } } });
    await recordAudit(tx, {
      actor,
      action: "alert-rule.update",
      target: `alert-rule/${rule.name}`,
      service: rule.service ?? undefined,
      before: audited(before),
      after: audited(rule),
    });
    return rule;
  });
}

/** Removes a rule and its alerts (Alertmanager lets them lapse at their endsAt); audited. */
export async function deleteAlertRule({ actor, id }: { actor: TActor; id: string }) {
  await transaction(async (tx) => {
    const rule = await tx.alertRule.findUnique({ where: { id }, select: ruleSelect });
    if (!rule) throw new AppError("not_found", "no such alert rule", "id");
    await tx.alertRule.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "alert-rule.delete", target: `alert-rule/${rule.name}`, service: rule.service ?? undefined, before: audited(rule) });
  });
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
