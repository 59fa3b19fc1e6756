import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setInstanceHealth } from "@/lib/catalog/set-instance-health";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { deliverDueWebhooks } from "./deliver-webhooks";
import { createWebhook, listWebhooks, ZCreateWebhook } from "./webhooks";

const system = { type: "system", name: "test" } as const;
const received: unknown[] = [];
let failuresToAnswer = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  await migrateDatabase();
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      if (failuresToAnswer > 0) {
        failuresToAnswer -= 1;
        response.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("webhook deliveries", () => {
  test("post each failover event once, retry with backoff after a failure, and show the status", async () => {
    const webhook = await createWebhook({ actor: system, input: { url, kinds: ["failover", "outage"] } });
    await registerInstance({ input: ZRegisterInstance.parse({ service: "hooked", id: "hooked-1", host: "127.0.0.1", port: 9100 }) });
    const { id } = await db.instance.findFirstOrThrow({ where: { instanceId: "hooked-1" } });
    failuresToAnswer = 1;
    await setInstanceHealth({ id, to: "critical", reason: "TTL expired", detectionMs: 3050 });

    // failover and outage are both wanted; the first attempt of one of them meets a 503.
    const sentAfter = Date.now();
    expect(await deliverDueWebhooks()).toBe(1);
    expect(received).toHaveLength(1);
    let deliveries = (await listWebhooks()).find((candidate) => candidate.id === webhook.id)!.deliveries;
    const retrying = deliveries.find((delivery) => delivery.status === "pending")!;
    expect(retrying).toMatchObject({ attempts: 1, responseStatus: 503, lastError: "answered 503" });
    // The first retry waits 2 s from the failed attempt, which came after sentAfter.
    expect(retrying.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(sentAfter + 2000);

    // Not due yet: nothing is sent twice.
    expect(await deliverDueWebhooks()).toBe(0);
    await db.webhookDelivery.update({ where: { id: retrying.id }, data: { nextAttemptAt: new Date() } });
    expect(await deliverDueWebhooks()).toBe(1);
    deliveries = (await listWebhooks()).find((candidate) => candidate.id === webhook.id)!.deliveries;
    expect(deliveries.map((delivery) => delivery.status)).toEqual(["delivered", "delivered"]);

    const kinds = received.map((body) => (body as { event: { kind: string } }).event.kind).sort();
    expect(kinds).toEqual(["failover", "outage"]);
    const failover = received.find((body) => (body as { event: { kind: string } }).event.kind === "failover") as { event: Record<string, unknown> };
    expect(failover.event).toMatchObject({ service: "hooked", instanceId: "hooked-1", detectionMs: 3050, takeover: [] });
  });

  test("a webhook to a metadata address fails with the address policy's reason, before any connection", async () => {
    // Stored without the schema, as a row made before the policy would be.
    const webhook = await createWebhook({ actor: system, input: { url: "http://[::ffff:a9fe:a9fe]/latest/meta-data/", kinds: ["recovery"] } });
    const { id } = await db.instance.findFirstOrThrow({ where: { instanceId: "hooked-1" } });
    await setInstanceHealth({ id, to: "passing", reason: "back" });
    await deliverDueWebhooks();
    const [delivery] = (await listWebhooks()).find((candidate) => candidate.id === webhook.id)!.deliveries;
    expect(delivery).toMatchObject({
      status: "pending",
      attempts: 1,
      responseStatus: null,
      lastError: expect.stringMatching(/^refused by address policy: ::ffff:a9fe:a9fe is 169\.254\.169\.254/),
    });
  });

  test.each([
    ["url", { url: "http://169.254.169.254/latest/meta-data/" }],
    ["url", { url: "http://[fd00:ec2::254]/" }],
    ["url", { url: "file:///etc/passwd" }],
    ["url", { url: "ftp://example.com/hook" }],
    ["url", { url: "not a url" }],
    ["kinds", { url: "https://example.com/hook", kinds: [] }],
    ["kinds.0", { url: "https://example.com/hook", kinds: ["everything"] }],
  ])("refuses a bad %s", (field, input) => {
    const result = ZCreateWebhook.safeParse(input);
    expect(result.error?.issues[0]?.path.join(".")).toBe(field);
  });

  test("defaults to every kind of traffic event", () => {
    expect(ZCreateWebhook.parse({ url: "https://example.com/hook" }).kinds).toEqual(["failover", "recovery", "outage", "outage-end"]);
  });
});
