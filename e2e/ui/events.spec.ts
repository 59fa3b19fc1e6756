import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { pickService } from "../support/pages";
import { registryClient, uniqueName } from "../support/registry";

/** Marks the window, so a test can show later that the page was never reloaded. */
async function markWindow(page: Page) {
  await page.evaluate(() => Object.assign(window, { neverReloaded: true }));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => "neverReloaded" in window), "the page was not reloaded").toBe(true);
}

test("a TTL instance that stops heartbeating shows a critical event on the events page and a critical band on its timeline", async ({
  page,
  context,
  noSessionRequest,
}) => {
  const created = await page.request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-events") } });
  expect(created.status()).toBe(201);
  const registry = registryClient(noSessionRequest, ((await created.json()) as { token: string }).token);
  const service = uniqueName("e2e-events");
  const id = `${service}-1`;
  expect((await registry.register({ service, id, host: "127.0.0.1", port: 18082, check: { kind: "ttl", ttl: "1s" } })).status()).toBe(201);

  // Heartbeats keep the 1 s TTL alive while both pages open; the test stops them to let it expire.
  let beating = true;
  const beats = (async () => {
    while (beating) {
      expect((await registry.heartbeat(id)).status()).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  // The raw events, not the incidents the page shows first.
  await page.goto("/events?view=events");
  await pickService(page, "Service", service);
  await expect(page).toHaveURL(new RegExp(`/events\\?view=events&service=${service}$`));
  const events = page.getByTestId("event").filter({ hasText: id });
  const newestHealthEvent = events.and(page.locator("[data-kind=health]")).first();
  await expect(events.filter({ hasText: "registered" })).toHaveCount(1);
  // A cold server may stall past the 1 s TTL once; the heartbeats bring it back, so wait for passing.
  await expect(newestHealthEvent).toContainText(/→\s*passing/);
  await expect(page.getByTestId("event").filter({ hasNotText: service })).toHaveCount(0);
  await markWindow(page);

  const servicePage = await context.newPage();
  await servicePage.goto(`/services/${service}`);
  const timeline = servicePage.getByTestId(`timeline-${id}`);
  await expect(timeline).toContainText("expires in");
  // Bands are drawn oldest first: the last one is the instance's health now.
  const latestBand = timeline.locator("[data-state]").last();
  await expect(latestBand).toHaveAttribute("data-state", "passing");
  await markWindow(servicePage);

  beating = false;
  await beats;
  const critical = newestHealthEvent;
  await expect(critical).toContainText(/passing\s*→\s*critical/, { timeout: 6_000 });
  await expect(critical).toContainText("TTL expired");
  await expect(critical).toContainText(/detected in \d/);
  await expect(critical.getByRole("link", { name: id })).toHaveAttribute("href", `/services/${service}/instances/${id}`);
  await expectNotReloaded(page);

  await expect(latestBand).toHaveAttribute("data-state", "critical", { timeout: 6_000 });
  await expect(latestBand).toBeVisible();
  await expect(timeline).toContainText(/expired .* ago/);
  await expect(timeline.getByText("critical", { exact: true })).toBeVisible();
  await expectNotReloaded(servicePage);
  await servicePage.screenshot({ path: test.info().outputPath("timeline-critical.png"), fullPage: true });

  // The event links to the instance's own page.
  await critical.getByRole("link", { name: id }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${service}/instances/${id}`));
  await expect(page.getByRole("heading", { name: new RegExp(id) }).first()).toBeVisible();
  expect((await registry.deregister(id)).status()).toBe(204);
});

test("GET /api/v1/events refuses bad filters, naming the field", async ({ page }) => {
  for (const [query, field] of [
    ["kind=sideways", "kind"],
    ["range=2h", "range"],
    ["limit=1000", "limit"],
    ["before=x", "before"],
  ] as const) {
    const response = await page.request.get(`/api/v1/events?${query}`);
    expect(response.status(), query).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: "validation_failed", field } });
  }
});
