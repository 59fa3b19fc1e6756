import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { waitForConsolePage } from "../support/console-pages";
import { expect, test } from "../support/fixtures";

const item = "/api/v1/config/items/dev/orders/behaviour";

/** Publishes orders' behaviour through the config center, as an operator would (the demo follows it live); answers what it was. */
async function publishOrders(request: APIRequestContext, baseURL: string, content: string, message: string) {
  const current = (await (await request.get(item)).json()) as { version: number; content: string };
  const published = await request.put(item, {
    data: { format: "json", content, message, baseVersion: current.version },
    headers: { origin: baseURL },
  });
  expect(published.status(), await published.text()).toBe(200);
  return current.content;
}

// The p99 figures a list shows, in row order; "–" (not measured) is left out.
async function shownP99(page: Page) {
  return (await page.locator("tbody tr[data-service]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-p99"))))
    .filter((value): value is string => value !== null && value !== "")
    .map(Number);
}

test.describe.serial("service status from signals", () => {
  test("orders at 5 % errors and a 900 ms p99 shows degraded, first in the overview and in the list sorted by status", async ({ page, request, baseURL }) => {
    test.setTimeout(150_000);
    const before = await publishOrders(request, baseURL!, JSON.stringify({ errorRate: 0.05, latencyMs: 900 }), "e2e: orders degraded");
    try {
      await page.goto("/services?sort=status");
      await waitForConsolePage(page, "Services");
      // The collector judges every 10 s from the last 5 minutes of rollups: the slow requests tip p99 within a few turns.
      await expect(page.locator('tr[data-service="orders"]')).toHaveAttribute("data-status", "degraded", { timeout: 120_000 });
      await expect(page.locator('tr[data-service="orders"]').getByText("degraded")).toBeVisible();
      const statuses = await page.locator("tbody tr[data-service]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")));
      const rank = { failing: 0, degraded: 1, healthy: 2, idle: 3 } as Record<string, number>;
      expect(statuses.map((status) => rank[status!])).toEqual(statuses.map((status) => rank[status!]).sort((a, b) => a! - b!));

      await page.goto("/");
      await expect(page.getByRole("list", { name: "Services by status" }).locator('[data-service="orders"]')).toHaveAttribute("data-status", "degraded", {
        timeout: 15_000,
      });
    } finally {
      await publishOrders(request, baseURL!, before, "e2e: orders back to normal");
    }
  });

  test("the services list searches, filters, sorts and pages on the server, the URL holding each", async ({ page }) => {
    await page.goto("/services");
    await waitForConsolePage(page, "Services");
    // The demo's five, and whatever earlier specs registered.
    await expect(page.locator('tr[data-service="users"]')).toBeVisible();

    await page.getByRole("searchbox", { name: "Search services" }).fill("ord");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/\/services\?q=ord$/);
    await expect(page.locator("tbody tr[data-service]")).toHaveCount(1);
    await expect(page.locator('tr[data-service="orders"]')).toBeVisible();

    await page.getByRole("searchbox", { name: "Search services" }).fill("");
    await page.getByRole("textbox", { name: "Filter by tag" }).fill("no-such-tag");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/tag=no-such-tag/);
    await expect(page.getByText("No service matches the filters.")).toBeVisible();

    await page.getByRole("textbox", { name: "Filter by tag" }).fill("zone-a");
    await page.getByRole("textbox", { name: "Filter by source" }).fill("builtin");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/tag=zone-a&source=builtin|source=builtin.*tag=zone-a|tag=zone-a.*source=builtin/);
    await expect(page.locator("tbody tr[data-service]").first()).toBeVisible();

    await page.goto("/services");
    await page.getByRole("combobox", { name: "Filter by status" }).selectOption("healthy");
    await expect(page).toHaveURL(/status=healthy/);
    await expect(page.locator('tr[data-service="users"]')).toBeVisible();
    const shown = await page.locator("tbody tr[data-service]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")));
    expect(new Set(shown)).toEqual(new Set(["healthy"]));

    await page.goto("/services");
    await page.getByRole("link", { name: /^Sort by p99/ }).click();
    await expect(page).toHaveURL(/sort=p99/);
    await expect(page.getByRole("link", { name: "Sort by p99, sorted descending" })).toBeVisible();
    const p99 = await shownP99(page);
    expect(p99).toEqual([...p99].sort((a, b) => b - a));
    await page.getByRole("link", { name: "Sort by p99, sorted descending" }).click();
    await expect(page).toHaveURL(/sort=p99&order=asc/);

    await page.goto("/services?limit=2");
    await expect(page.locator("tbody tr[data-service]")).toHaveCount(2);
    await expect(page.getByText(/^Page 1 of \d+$/)).toBeVisible();
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(/^Page 2 of \d+$/)).toBeVisible();
    await expect(page.locator("tbody tr[data-service]")).toHaveCount(2);
  });

  for (const colorScheme of ["dark", "light"] as const) {
    test(`the services list and overview are axe-clean at 390 px in ${colorScheme} mode`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [path, heading] of [
        ["/services?sort=status", "Services"],
        ["/", "Overview"],
      ] as const) {
        await page.goto(path);
        await waitForConsolePage(page, heading);
        const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        expect(violations.map((violation) => `${path}: ${violation.id} ${violation.nodes[0]?.html.slice(0, 120)}`)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      }
    });
  }
});
