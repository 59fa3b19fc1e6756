import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { allowedRanges } from "@/lib/net/address-policy";
import { formatCidr } from "@/lib/net/ip-address";
import { listWebhooks } from "@/lib/notify/webhooks";
import { HealthSettingsClient } from "./page-client";

export const metadata: Metadata = { title: "Health settings" };

export default async function HealthSettingsPage() {
  // Webhook URLs hold secrets: administrators only, as the API has it.
  const user = await requirePageUser({ permission: "webhooks.manage" });
  const webhooks = await listWebhooks();
  return (
    <HealthSettingsClient
      canManage={can({ role: user.role, permission: "webhooks.manage" })}
      allowedAddresses={allowedRanges().map(formatCidr)}
      webhooks={webhooks.map((webhook) => ({
        id: webhook.id,
        url: webhook.url,
        kinds: webhook.kinds,
        deliveries: webhook.deliveries.map((delivery) => ({
          id: delivery.id,
          status: delivery.status,
          attempts: delivery.attempts,
          responseStatus: delivery.responseStatus,
          lastError: delivery.lastError,
          createdAt: delivery.createdAt.toISOString(),
          nextAttemptAt: delivery.nextAttemptAt.toISOString(),
        })),
      }))}
    />
  );
}
