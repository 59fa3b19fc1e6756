import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { createWebhook, listWebhooks, ZCreateWebhook } from "@/lib/notify/webhooks";

// GET /api/v1/webhooks - webhooks and their latest deliveries; admins only
export const GET = apiRoute({ needs: "admin", tokens: false }, async () => NextResponse.json({ webhooks: await listWebhooks() }));

// POST /api/v1/webhooks - post failover and outage events to a URL
export const POST = apiRoute({ needs: "admin", tokens: false }, async ({ request, actor }) => {
  const webhook = await createWebhook({ actor, input: ZCreateWebhook.parse(await readJson(request)) });
  return NextResponse.json({ webhook }, { status: 201 });
});
