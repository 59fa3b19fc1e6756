import { gatewayURL } from "../support/env";
import { expect, test } from "../support/fixtures";

test("the app starts a gateway that routes to the demo fleet, carries its traffic, and shows as the service gateway", async ({ request }) => {
  const home = await request.get(`${gatewayURL}/frontend/`);
  expect(home.status()).toBe(200);
  expect(await home.json()).toMatchObject({ service: "frontend" });

  const unknown = await request.get(`${gatewayURL}/no-such-service/`);
  expect(unknown.status()).toBe(503);
  expect(await unknown.json()).toMatchObject({ error: { code: "unknown_service" } });

  // The fleet's users and its calls between services go through the gateway: its own metrics count them.
  const counted = async () =>
    (await (await request.get(`${gatewayURL}/_gateway/metrics`)).text()).match(/http_client_requests_total\{peer_service="(users|inventory)"/g)?.length ?? 0;
  await expect.poll(counted, { timeout: 20_000 }).toBeGreaterThan(0);

  const registered = await request.get("/api/v1/services/gateway");
  expect(registered.status()).toBe(200);
  const { instances } = (await registered.json()) as { instances: { port: number; health: string; metrics: { path: string } }[] };
  expect(instances.find((instance) => gatewayURL.endsWith(`:${instance.port}`))).toMatchObject({ health: "passing", metrics: { path: "/_gateway/metrics" } });
});
