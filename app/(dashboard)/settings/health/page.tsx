import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getAllowLinkLocal } from "@/lib/health/address-guard";
import { listWebhooks } from "@/lib/notify/webhooks";
import { HealthSettingsClient } from "./page-client";

export const metadata: Metadata = { title: "Health settings" };

export default async function HealthSettingsPage() {
  const user = await requirePageUser();
  const [webhooks, allowLinkLocal] = await Promise.all([listWebhooks(), getAllowLinkLocal()]);
  return (
    <HealthSettingsClient
      canManage={can({ role: user.role, permission: "webhooks.manage" })}
      allowLinkLocal={allowLinkLocal}
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
