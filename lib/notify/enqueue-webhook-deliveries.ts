import "server-only";
import type { Tx } from "@/lib/db";
import type { TFailoverKind } from "@/lib/db/codecs";
import { isSilenced } from "./silences";

/**
 * Outbox: a delivery per enabled webhook that wants this kind, written with the event itself; none while an operator
 * silences its service or instance (the event is still recorded and shown).
 */
export async function enqueueWebhookDeliveries(
  tx: Tx,
  { eventId, kind, service, instanceId, at }: { eventId: string; kind: TFailoverKind; service: string; instanceId: string | null; at: Date },
) {
  const webhooks = await tx.webhook.findMany({ where: { enabled: true }, select: { id: true, kinds: true } });
  const wanting = webhooks.filter((webhook) => webhook.kinds.includes(kind));
  if (wanting.length === 0) return;
  if (await isSilenced(tx, { service, instanceId, at })) return;
  await tx.webhookDelivery.createMany({
    data: wanting.map((webhook) => ({ webhookId: webhook.id, eventId, status: "pending", nextAttemptAt: new Date() })),
  });
}
