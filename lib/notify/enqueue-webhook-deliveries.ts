import "server-only";
import type { Tx } from "@/lib/db";
import type { TFailoverKind } from "@/lib/db/codecs";

/** Outbox: a delivery per enabled webhook that wants this kind, written with the event itself. */
export async function enqueueWebhookDeliveries(tx: Tx, { eventId, kind }: { eventId: string; kind: TFailoverKind }) {
  const webhooks = await tx.webhook.findMany({ where: { enabled: true }, select: { id: true, kinds: true } });
  const wanting = webhooks.filter((webhook) => webhook.kinds.includes(kind));
  if (wanting.length === 0) return;
  await tx.webhookDelivery.createMany({
    data: wanting.map((webhook) => ({ webhookId: webhook.id, eventId, status: "pending", nextAttemptAt: new Date() })),
  });
}
