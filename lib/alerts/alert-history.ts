import "server-only";
import type { Tx } from "@/lib/db";
import { coveredBy } from "@/lib/notify/silences";
import type { TStoredAlert } from "./conditions";
import { describeRule, formatAlertValue, type TAlertRule, type TAlertState } from "./rule-schema";

/** One alert's change of state; `reason` stands in the summary for the value when no condition decided it (a rule deleted). */
export type TAlertStateChange = {
  rule: TAlertRule;
  service: string;
  from: TAlertState;
  next: TStoredAlert | { state: "inactive" };
  value: number | null;
  reason?: string;
};

/** The changes' history rows and the webhook deliveries that want them, in the change's transaction. */
export async function writeAlertHistory(tx: Tx, { changes, at, silenced }: { changes: TAlertStateChange[]; at: Date; silenced: Map<string, Set<string>> }) {
  if (changes.length === 0) return;
  const events = changes.map(({ rule, service, from, next, value, reason }) => ({
    id: crypto.randomUUID(),
    at,
    ruleId: rule.id,
    rule: rule.name,
    service,
    severity: rule.severity,
    from,
    to: next.state,
    value,
    summary: `${service}: ${describeRule(rule)} (${reason ?? formatAlertValue(rule.kind, value)})`,
  }));
  await tx.alertEvent.createMany({ data: events });
  // Webhooks hear an alert fire and resolve (pending is not news), unless its service is silenced.
  const told = events.filter(
    (event) => (event.to === "firing" || event.to === "resolved") && !coveredBy(silenced, { service: event.service, instanceId: null }),
  );
  if (told.length === 0) return;
  const webhooks = (await tx.webhook.findMany({ where: { enabled: true }, select: { id: true, kinds: true } })).filter((webhook) =>
    webhook.kinds.includes("alert"),
  );
  if (webhooks.length === 0) return;
  await tx.webhookDelivery.createMany({
    data: webhooks.flatMap((webhook) => told.map((event) => ({ webhookId: webhook.id, eventId: event.id, status: "pending", nextAttemptAt: at }))),
  });
}
