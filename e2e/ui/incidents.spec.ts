import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { pickService } from "../support/pages";
import { registryClient, uniqueName } from "../support/registry";

/** The page at a desktop's and a phone's size, into the test's output; back to the desktop after. */
async function screenshots(page: Page, name: string) {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("the events page shows a failure that comes back as one recurring incident, and its raw events on demand", async ({ page, noSessionRequest }) => {
  const created = await page.request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-incidents") } });
  expect(created.status()).toBe(201);
  const registry = registryClient(noSessionRequest, ((await created.json()) as { token: string }).token);
  const service = uniqueName("e2e-incidents");
  const [steady, flaky] = [`${service}-1`, `${service}-2`];
  for (const id of [steady, flaky]) {
    expect((await registry.register({ service, id, host: "127.0.0.1", port: 18090, check: { kind: "ttl", ttl: "1s" }, metrics: null })).status()).toBe(201);
  }
  // steady beats throughout; flaky beats only while `flakyUp`.
  let flakyUp = true;
  let beating = true;
  const beats = (async () => {
    while (beating) {
      await registry.heartbeat(steady);
      if (flakyUp) await registry.heartbeat(flaky);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  await page.goto(`/events?service=${service}`);
  await expect(page.getByRole("link", { name: "Incidents", exact: true })).toHaveAttribute("aria-current", "page");
  const incident = page.getByTestId("incident").filter({ hasText: flaky });
  for (const round of [1, 2]) {
    flakyUp = false;
    await expect(incident).toHaveAttribute("data-count", String(round), { timeout: 8_000 });
    await expect(incident).toHaveAttribute("data-open", "true");
    flakyUp = true;
    await expect(incident).toHaveAttribute("data-open", "false", { timeout: 8_000 });
  }
  // One row, however often it failed: recurring, with a count.
  await expect(page.getByTestId("incident")).toHaveCount(1);
  await expect(incident.getByTestId("incident-recurring")).toHaveText("recurring ×2");
  await screenshots(page, "incidents");

  // Its page lists each start and its events.
  await incident.getByRole("link", { name: "Details" }).click();
  await expect(page.getByTestId("incident-times").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("event").and(page.locator("[data-kind=failover]"))).toHaveCount(2);
  await screenshots(page, "incident");
  // The overview leads with incidents too.
  await page.goto("/");
  await expect(page.getByTestId("incident").first()).toBeVisible();
  await screenshots(page, "overview");

  // Raw events on demand: every failover, recovery and health change.
  await page.goto(`/events?service=${service}`);
  await page.getByRole("link", { name: "Raw events" }).click();
  await expect(page).toHaveURL(/view=events/);
  await pickService(page, "Service", service);
  const failovers = page.getByTestId("event").and(page.locator("[data-kind=failover]"));
  await expect(failovers).toHaveCount(2);
  await expect(page.getByTestId("event").and(page.locator("[data-kind=recovery]"))).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath("raw-events-1440.png"), fullPage: true });

  beating = false;
  await beats;
  for (const id of [steady, flaky]) await registry.deregister(id);
});

test("an operator retires a service with no instance from its page; its history stays", async ({ page, noSessionRequest }) => {
  const created = await page.request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-retire") } });
  const registry = registryClient(noSessionRequest, ((await created.json()) as { token: string }).token);
  const service = uniqueName("e2e-retire");
  expect((await registry.register({ service, id: `${service}-1`, host: "127.0.0.1", port: 18091, metrics: null })).status()).toBe(201);
  expect((await registry.deregister(`${service}-1`)).status()).toBe(204);

  await page.goto(`/services/${service}`);
  const retire = page.getByRole("button", { name: "Retire service" });
  await expect(retire).toBeDisabled();
  await page.getByLabel("Reason").last().fill("decommissioned in e2e");
  await screenshots(page, "retire");
  await retire.click();
  await expect(page).toHaveURL(/\/services$/);
  expect((await page.request.get(`/api/v1/services/${service}`)).status()).toBe(404);
  const events = await page.request.get(`/api/v1/events?service=${service}&kind=retired`);
  expect(((await events.json()) as { events: unknown[] }).events).toHaveLength(1);
});
