import { expect, test } from "../support/fixtures";
import { createTokenInUi } from "../support/pages";
import { createTokenViaApi, registryClient, uniqueName } from "../support/registry";

test("an instance registered with a token made in the UI appears on the open service page, and goes when deregistered", async ({ page, noSessionRequest }) => {
  const token = await createTokenInUi(page, uniqueName("e2e-checkout"));
  const registry = registryClient(noSessionRequest, token);
  const id = uniqueName("orders-e2e");

  // The page is live once its first poll has answered: the clock below starts from a page that polls, not one still hydrating.
  const polled = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/services/orders");
  await page.goto("/services/orders");
  await expect(page.getByTestId("instance-orders-1")).toBeVisible();
  const row = page.getByTestId(`instance-${id}`);
  await expect(row).toHaveCount(0);
  await polled;

  const registered = await registry.register({
    service: "orders",
    id,
    host: "127.0.0.1",
    port: 18080,
    weight: 50,
    tags: ["e2e", "canary"],
    metadata: { version: "9.9.9-e2e" },
    check: { kind: "ttl", ttl: "10s" },
  });
  expect(registered.status()).toBe(201);

  // The page polls every second: no reload.
  await expect(row).toBeVisible({ timeout: 2_000 });
  await expect(row.getByRole("cell").nth(5)).toHaveText("127.0.0.1:18080");
  await expect(row.getByText("passing", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell").nth(4)).toHaveText("50");
  await expect(row.getByText("canary", { exact: true })).toBeVisible();
  await expect(row.getByText("9.9.9-e2e", { exact: true })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("orders-with-registered-instance.png"), fullPage: true });

  const deregistered = await registry.deregister(id);
  expect(deregistered.status()).toBe(204);
  await expect(row).toHaveCount(0, { timeout: 2_000 });
  await expect(page.getByTestId("instance-orders-1")).toBeVisible();
});

test("a TTL instance that stops heartbeating turns critical on the open page", async ({ page, noSessionRequest }) => {
  const registry = registryClient(noSessionRequest, await createTokenViaApi(page.request, uniqueName("e2e-ttl")));
  const service = uniqueName("e2e-ttl");
  const id = `${service}-1`;
  const registered = await registry.register({ service, id, host: "127.0.0.1", port: 18081, check: { kind: "ttl", ttl: "2s" } });
  expect(registered.status()).toBe(201);

  await page.goto(`/services/${service}`);
  const row = page.getByTestId(`instance-${id}`);
  const passing = row.getByText("passing", { exact: true });
  const critical = row.getByText("critical", { exact: true });
  await expect(passing).toBeVisible();

  // This test is about time passing: beat every 0.5 s for 3 s, longer than the ttl, and stay passing.
  let lastBeatAt = 0;
  for (let beat = 0; beat < 6; beat += 1) {
    if (beat > 0) await page.waitForTimeout(500);
    lastBeatAt = Date.now(); // before the call, which stamps the beat inside it
    const response = await registry.heartbeat(id);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ health: "passing" });
    await expect(passing).toBeVisible();
  }

  // Silence: critical within 0.2 s after the ttl runs out, and the page shows it within a second more.
  await expect(critical).toBeVisible({ timeout: 5_000 });
  expect(Date.now() - lastBeatAt, "not critical before the ttl ran out").toBeGreaterThanOrEqual(2_000);
  await expect(row).toContainText("TTL expired");

  // One heartbeat brings it back.
  const revived = await registry.heartbeat(id);
  expect(await revived.json()).toEqual({ health: "passing" });
  await expect(passing).toBeVisible({ timeout: 2_000 });
  expect((await registry.deregister(id)).status()).toBe(204);
});
