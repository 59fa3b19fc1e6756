import { readFile } from "node:fs/promises";
import { expect, test } from "../support/fixtures";

test("the golden signals export their points as CSV and the drawing as PNG, and show the points as a table", async ({ page }) => {
  // On a fresh server the first scrapes take up to a minute to chart.
  test.setTimeout(120_000);
  await page.goto("/services/orders");
  await expect(page.getByTestId("chart-rps")).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 75_000 });
  const signals = page.getByTestId("golden-signals");

  const [csv] = await Promise.all([page.waitForEvent("download"), signals.getByRole("button", { name: "Download CSV" }).click()]);
  expect(csv.suggestedFilename()).toBe("orders-service.csv");
  const lines = (await readFile(await csv.path(), "utf8")).trim().split("\n");
  expect(lines[0]).toBe("time,requests_per_second,error_ratio,p50_ms,p95_ms,p99_ms");
  // One line per step of the range, and some of them measured.
  expect(lines.length).toBeGreaterThan(2);
  expect(lines.slice(1).some((line) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d/.test(line))).toBe(true);

  const [png] = await Promise.all([page.waitForEvent("download"), signals.getByRole("button", { name: "Download PNG" }).click()]);
  expect(png.suggestedFilename()).toBe("orders-service.png");
  const bytes = await readFile(await png.path());
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.length).toBeGreaterThan(5_000);

  await signals.getByRole("button", { name: "Table of points" }).click();
  const table = signals.getByTestId("chart-points");
  await expect(table.getByRole("columnheader", { name: "p99" })).toBeVisible();
  await expect(table.getByRole("row").nth(1)).toBeVisible();
  await signals.getByRole("button", { name: "Hide the table of points" }).click();
  await expect(table).toHaveCount(0);
});
