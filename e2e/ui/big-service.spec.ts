import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { readStat } from "../support/pages";
import { registryClient, uniqueName } from "../support/registry";

const size = 1200;
const service = uniqueName("big");
const idOf = (i: number) => `${service}-${String(i).padStart(4, "0")}`;
// Every 20th instance is a canary: more than one page of the table (50 rows).
const canaries = size / 20;

async function registerFleet(request: APIRequestContext, noSessionRequest: APIRequestContext) {
  const created = await request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-big") } });
  expect(created.status()).toBe(201);
  const registry = registryClient(noSessionRequest, ((await created.json()) as { token: string }).token);
  let next = 1;
  // A few registrations in flight at once, as a deployment's instances start together.
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next <= size) {
        const i = next++;
        const registered = await registry.register({
          service,
          id: idOf(i),
          host: `10.2.${Math.floor(i / 200)}.${i % 200}`,
          port: 8080,
          tags: i % 20 === 0 ? ["canary"] : ["stable"],
          // Long enough that none expires during the test; nothing to scrape at these addresses.
          check: { kind: "ttl", ttl: "1h" },
          metrics: null,
        });
        expect(registered.status()).toBe(201);
      }
    }),
  );
}

async function openServicePage(page: Page) {
  const started = Date.now();
  await page.goto(`/services/${service}`);
  await expect(page.getByTestId(`instance-${idOf(1)}`)).toBeVisible();
  return Date.now() - started;
}

test.describe.serial("a service of 1,200 instances", () => {
  test.beforeAll(async ({ request, noSessionRequest }) => {
    test.setTimeout(180_000);
    await registerFleet(request, noSessionRequest);
  });

  test("its page loads one page of instances with the whole service's counts, and pages through them", async ({ page }) => {
    const loadMs = await openServicePage(page);
    test.info().annotations.push({ type: "page load", description: `${loadMs} ms to the first row` });
    console.info(`service page of ${size} instances: ${loadMs} ms from navigation to the first row`);
    expect(await readStat(page, "Instances")).toBe(size);
    expect(await readStat(page, "Taking traffic")).toBe(size);
    await expect(page.getByTestId("page-range")).toHaveText("1–50 of 1,200");
    await expect(page.locator('[data-testid^="instance-"]')).toHaveCount(50);

    const pages = page.getByRole("navigation", { name: "Instance pages" });
    await pages.getByRole("button", { name: "Next" }).click();
    await expect(page.getByTestId("page-range")).toHaveText("51–100 of 1,200");
    await expect(page.getByTestId(`instance-${idOf(51)}`)).toBeVisible();
    await expect(page.getByTestId(`instance-${idOf(1)}`)).toHaveCount(0);
    await pages.getByRole("button", { name: "Previous" }).click();
    await expect(page.getByTestId(`instance-${idOf(1)}`)).toBeVisible();

    // A search narrows the page and the count together.
    await page.getByRole("searchbox", { name: "Search instances" }).fill(`${service}-001`);
    await expect(page.getByTestId("page-range")).toHaveText("1–10 of 10 matching (1,200 in all)");
    await expect(page.locator('[data-testid^="instance-"]')).toHaveCount(10);
  });

  test("select all matching drains exactly the instances the filter counts, with the guard's preview", async ({ page }) => {
    test.setTimeout(90_000);
    await openServicePage(page);
    await page.getByRole("search", { name: "Filter instances" }).getByLabel("Tag").selectOption("canary");
    await expect(page.getByTestId("page-range")).toHaveText(`1–50 of ${canaries} matching (1,200 in all)`);

    await page.getByLabel("Select this page").check();
    const banner = page.getByTestId("selection-banner");
    await expect(banner).toContainText("All 50 on this page are selected.");
    await banner.getByRole("button", { name: `Select all ${canaries} matching instances` }).click();
    await expect(banner).toContainText(`All ${canaries} matching instances are selected.`);

    const panel = page.getByRole("form", { name: "Change traffic" });
    await panel.getByLabel("Change", { exact: true }).selectOption("drain");
    await panel.getByLabel("Reason").fill("e2e: canaries out");
    await expect(panel.getByTestId("capacity")).toContainText(`Taking traffic: ${size} of ${size} (100%) → ${size - canaries} of ${size} (95%)`);
    // The preview is bounded: a few rows, and the rest counted.
    await expect(panel.getByTestId("preview-more")).toContainText(`more instances`);
    expect(await panel.locator('[data-testid^="preview-"]').count()).toBeLessThanOrEqual(31);
    await page.screenshot({ path: test.info().outputPath("select-all-matching.png"), fullPage: true });

    await panel.getByRole("button", { name: `Apply to ${canaries} instances` }).click();
    await expect(panel.getByRole("status")).toContainText(`and ${canaries - 5} more instances`, { timeout: 30_000 });
    await expect.poll(() => readStat(page, "Drained")).toBe(canaries);
    await expect.poll(() => readStat(page, "Taking traffic")).toBe(size - canaries);
    // The selection is cleared, and the table shows them drained.
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId(`instance-${idOf(20)}`)).toContainText("drained");
  });

  for (const { name, viewport } of [
    { name: "desktop", viewport: { width: 1440, height: 900 } },
    { name: "phone", viewport: { width: 390, height: 844 } },
  ]) {
    for (const colorScheme of ["light", "dark"] as const) {
      test(`on a ${name} in ${colorScheme}, the page stays within the screen and the pager is reachable`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
        await openServicePage(page);
        await expect(page.getByTestId("page-range")).toBeVisible();
        // Wide tables scroll inside their card; the page itself never scrolls sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await page.getByRole("navigation", { name: "Instance pages" }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: test.info().outputPath(`${name}-${colorScheme}.png`), fullPage: true });
      });
    }
  }
});
