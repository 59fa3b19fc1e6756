import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createWebhook, listWebhooks, ZCreateWebhook } from "@/lib/notify/webhooks";

// GET /api/v1/webhooks - webhooks and their latest deliveries; admins only
export const GET = apiRoute({ permission: "webhooks.manage" }, async () => NextResponse.json({ webhooks: await listWebhooks() }));

// POST /api/v1/webhooks - post failover and outage events to a URL
export const POST = apiRoute({ permission: "webhooks.manage" }, async ({ request, actor }) => {
  const webhook = await createWebhook({ actor, input: ZCreateWebhook.parse(await readJson(request)) });
  return NextResponse.json({ webhook }, { status: 201 });
});
