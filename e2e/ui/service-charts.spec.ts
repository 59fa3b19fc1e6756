import type { Locator } from "@playwright/test";
import { expect, test } from "../support/fixtures";

// The demo fleet's orders calls payments and inventory. The collector scrapes every 10 s and a window is
// written once it is over: the first points appear some 20-40 s after the fleet starts.
const firstPointsMs = 60_000;

/** The chart has measured points, drawn as a line or (a step with no neighbour yet) as a dot. */
async function expectPoints(chart: Locator, timeout = 15_000) {
  await expect(chart).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout });
  await expect(chart.locator(".recharts-line-curve, .recharts-area-curve, [data-lone-dot]").filter({ visible: true }).first()).toBeVisible();
}

test("the orders page charts the demo fleet's golden signals, by range and by series", async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto("/services/orders");
  const signals = page.getByTestId("golden-signals");
  await expect(page.getByRole("heading", { name: /Golden signals/ })).toBeVisible();

  // The page refreshes the chart by itself every 10 s: no reload while the first scrapes come in.
  await expectPoints(page.getByTestId("chart-rps"), firstPointsMs);
  await expectPoints(page.getByTestId("chart-errors"));
  await expectPoints(page.getByTestId("chart-latency"));
  await expect(signals).toHaveAttribute("data-range", "1h");
  await expect(page.getByTestId("instance-orders-1").getByTestId("scrape-status")).toContainText(/scraped .+ ago\s*scrape took \d+ ms/);

  const ranges = page.getByRole("radiogroup", { name: "Time range" });
  await ranges.getByRole("radio", { name: "15m" }).click();
  await expect(signals).toHaveAttribute("data-range", "15m");
  await expect(signals).toHaveAttribute("data-loading", "false");
  await expect(page.getByRole("heading", { name: /Golden signals/ })).toContainText("one point per 10 s");
  await expectPoints(page.getByTestId("chart-rps"));

  const series = page.getByLabel("Series");
  await series.selectOption({ label: "orders-1" });
  await expect(signals).toHaveAttribute("data-series", "instance:orders-1");
  await expect(signals).toHaveAttribute("data-loading", "false");
  await expectPoints(page.getByTestId("chart-latency"));

  // orders -> payments is listed once its client-side metrics have been seen.
  await expect(series.locator("option", { hasText: "orders → payments" })).toBeAttached({ timeout: 30_000 });
  await series.selectOption({ label: "orders → payments" });
  await expect(signals).toHaveAttribute("data-series", "edge:orders:payments");
  await expect(signals).toHaveAttribute("data-loading", "false");
  await expect(page.getByRole("heading", { name: /Golden signals/ })).toContainText("calls orders → payments");
  await expectPoints(page.getByTestId("chart-rps"), 30_000);

  await ranges.getByRole("radio", { name: "24h" }).click();
  await expect(signals).toHaveAttribute("data-range", "24h");
  await expect(page.getByRole("heading", { name: /Golden signals/ })).toContainText("one point per 5 min");
  await expectPoints(page.getByTestId("chart-rps"));
  await page.screenshot({ path: test.info().outputPath("orders-golden-signals.png"), fullPage: true });
});
