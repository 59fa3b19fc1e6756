import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { sealColumn } from "@/lib/crypto/sealed-columns";
import { db } from "@/lib/db";
import { encodeWebhookKinds } from "@/lib/db/codecs";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { failoverKinds, failureKinds, webhookKinds } from "@/lib/health/event-filters";
import { hostOfUrl, policyHostCheck } from "@/lib/net/address-policy";
import { plainTextCheck } from "@/lib/plain-text";

export { failoverKinds };

export const ZCreateWebhook = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: "must be an http or https URL" })
    .max(2048, "must be at most 2048 characters")
    .check(plainTextCheck())
    .check(policyHostCheck(hostOfUrl)),
  kinds: z
    .array(z.enum(webhookKinds))
    .min(1, "choose at least one kind of event")
    .default([...failureKinds]),
});
export type TCreateWebhook = z.infer<typeof ZCreateWebhook>;

// A webhook URL often carries its secret in its path or query (Slack, Teams): the audit log keeps only its origin.
const auditedUrl = (url: string) => `${new URL(url).origin}/…`;

export async function createWebhook({ actor, input }: { actor: TActor; input: TCreateWebhook }) {
  return transaction(async (tx) => {
    const webhook = await tx.webhook.create({ data: { url: sealColumn(input.url), kinds: encodeWebhookKinds(input.kinds) }, select: { id: true, url: true } });
    await recordAudit(tx, { actor, action: "webhook.create", target: `webhook/${webhook.id}`, after: { url: auditedUrl(input.url), kinds: input.kinds } });
    return webhook;
  });
}

export async function deleteWebhook({ actor, id }: { actor: TActor; id: string }) {
  await transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id }, select: { url: true, kinds: true } });
    if (!webhook) throw new AppError("not_found", "no such webhook", "id");
    await tx.webhook.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "webhook.delete", target: `webhook/${id}`, before: { url: auditedUrl(webhook.url), kinds: webhook.kinds } });
  });
}

/** Webhooks with their latest deliveries, so an admin sees whether notifications get through. */
export async function listWebhooks() {
  const webhooks = await db.webhook.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      url: true,
      kinds: true,
      enabled: true,
      createdAt: true,
      deliveries: {
        orderBy: { createdAt: "desc" },
        take: 10,
        select: {
          id: true,
          eventId: true,
          status: true,
          attempts: true,
          responseStatus: true,
          lastError: true,
          createdAt: true,
          deliveredAt: true,
          nextAttemptAt: true,
        },
      },
    },
  });
  return webhooks;
}
export type TWebhookView = Awaited<ReturnType<typeof listWebhooks>>[number];
