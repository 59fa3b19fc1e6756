import "server-only";
import { db } from "@/lib/db";
import { sendOutbound } from "@/lib/net/outbound-http";

const batch = 20;
const timeoutMs = 5000;
const maxAttempts = 8;
// A claimed delivery is invisible to other processes this long, in case this one dies mid-send.
const claimMs = 60_000;

function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000, 1000 * 2 ** attempts);
}

async function send(url: string, body: unknown): Promise<{ ok: boolean; status?: number; error?: string }> {
  try {
    // A 3xx is the answer, not followed: it counts as a failure like any other status outside 2xx.
    const { status } = await sendOutbound({
      url: new URL(url),
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Meshdeck-Webhook/1" },
      body: JSON.stringify(body),
      timeoutMs,
      readBody: false,
    });
    return status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `answered ${status}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Sends the deliveries that are due, each claimed first so several processes never send one twice. */
export async function deliverDueWebhooks(): Promise<number> {
  const now = new Date();
  const due = await db.webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: batch,
    select: { id: true, eventId: true, attempts: true, nextAttemptAt: true, webhook: { select: { url: true } } },
  });
  let sent = 0;
  for (const delivery of due) {
    const claimed = await db.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "pending", nextAttemptAt: delivery.nextAttemptAt },
      data: { nextAttemptAt: new Date(Date.now() + claimMs) },
    });
    if (claimed.count === 0) continue;
    // An alert's change (lib/alerts) is posted as `{ alert }`, a traffic event as `{ event }`.
    const event = await db.failoverEvent.findUnique({ where: { id: delivery.eventId } });
    const alert = event ? null : await db.alertEvent.findUnique({ where: { id: delivery.eventId } });
    if (!event && !alert) {
      await db.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "failed", lastError: "the event no longer exists" } });
      continue;
    }
    const result = await send(delivery.webhook.url, event ? { event } : { alert });
    const attempts = delivery.attempts + 1;
    await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: result.ok
        ? { status: "delivered", attempts, responseStatus: result.status, lastError: null, deliveredAt: new Date() }
        : {
            status: attempts >= maxAttempts ? "failed" : "pending",
            attempts,
            responseStatus: result.status ?? null,
            lastError: result.error ?? null,
            nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
          },
    });
    if (result.ok) sent += 1;
  }
  return sent;
}

let timer: NodeJS.Timeout | undefined;

/** Polls the outbox every second; safe to call more than once. */
export function startWebhookDelivery({ onError }: { onError: (error: unknown) => void }) {
  if (timer) return;
  let running = false;
  timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDueWebhooks()
      .catch(onError)
      .finally(() => (running = false));
  }, 1000);
  timer.unref();
}
