import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";

test("an instance's page, reached from its service: health, signals, events, override and the config it holds", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/services/orders?range=6h");
  // The service links to its config, and to each instance.
  await expect(page.getByTestId("service-config").getByRole("link", { name: "dev/orders/behaviour" })).toBeVisible();
  await page.getByTestId("instance-orders-1").getByRole("link", { name: "orders-1", exact: true }).click();
  await expect(page).toHaveURL(`${baseURL}/services/orders/instances/orders-1?range=6h`);
  await expect(page.getByTestId("instance-title")).toHaveText("orders-1");
  await expect(page.getByTestId("timeline-orders-1").locator("[data-state]").first()).toBeVisible();
  await expect(page.getByTestId("golden-signals")).toHaveAttribute("data-series", "instance:orders-1", { timeout: 15_000 });
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Override" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Change traffic" })).toBeVisible();
  // The demo instances watch their behaviour: the page says which version orders-1 holds.
  const held = page.getByRole("link", { name: "dev/orders/behaviour" });
  await expect(held).toBeVisible({ timeout: 15_000 });
  await held.click();
  await expect(page).toHaveURL(`${baseURL}/config/dev/orders/behaviour`);

  // An unknown instance or a malformed id is the designed 404, not an error.
  expect((await page.request.get("/services/orders/instances/nope-404")).status()).toBe(404);
  expect((await page.request.get("/services/orders/instances/%20bad")).status()).toBe(404);
});
