import "server-only";
import { db, type Tx } from "@/lib/db";
import { findSilenced } from "@/lib/notify/silences";
import { writeAlertHistory } from "./alert-history";
import { alertStateSelect } from "./alert-selects";
import type { TAlertRow } from "./alertmanager";

// A rule deleted or disabled ends its alerts at once, as the condition ending would: the firing ones resolve in the
// history (and webhooks), the pending ones go; Alertmanager is told after the change commits (endInAlertmanager).

/** The silences over a rule's alerts, read before the change's transaction (SQLite has one writer at a time). */
export async function readRuleSilences({ ruleId, now }: { ruleId: string; now: number }) {
  const rows = await db.alertState.findMany({ where: { ruleId }, select: { service: true } });
  return findSilenced({ services: rows.map((row) => row.service), now: new Date(now) });
}

/**
 * Ends a rule's alerts in the change's transaction, saying why in their history; returns the ones Alertmanager may
 * hold (firing, or resolved and not yet told), to end there once committed. One row per service the rule covers.
 */
export async function endRuleAlerts(
  tx: Tx,
  { ruleId, reason, now, silenced }: { ruleId: string; reason: string; now: number; silenced: Map<string, Set<string>> },
): Promise<TAlertRow[]> {
  const alerts = await tx.alertState.findMany({ where: { ruleId }, select: alertStateSelect });
  const changes = alerts.flatMap(({ rule, service, state, activeAt }) =>
    state === "resolved"
      ? []
      : [
          {
            rule,
            service,
            from: state,
            next: state === "firing" ? { state: "resolved" as const, activeAt: activeAt.getTime(), changedAt: now } : { state: "inactive" as const },
            value: null,
            reason,
          },
        ],
  );
  await writeAlertHistory(tx, { changes, at: new Date(now), silenced });
  await tx.alertState.deleteMany({ where: { ruleId } });
  return alerts.filter((alert) => alert.state !== "pending");
}

/** What the audit record of the change keeps of the alerts it ended: how many, and the first services. */
export function endedForAudit(ended: TAlertRow[]) {
  return ended.length === 0 ? undefined : { alertsEnded: ended.length, services: ended.slice(0, 20).map((alert) => alert.service) };
}
