import { seriousViolations, sizes, type TFinding } from "../support/axe";
import { openConsolePage, pageScrollWidth, pastTheRightEdge } from "../support/console-pages";
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

  // An unknown service or instance, or a malformed id, is the not-found page with a 404: decided before the page streams.
  for (const [path, heading] of [
    ["/services/orders/instances/nope-404", "No such instance"],
    ["/services/orders/instances/%20bad", "No such instance"],
    ["/services/does-not-exist-404", "No such service"],
  ] as const) {
    expect((await page.goto(path))?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  }
});

// The pages this change adds, in both themes at both sizes: axe finds nothing serious, nothing scrolls sideways on a
// phone, and the screenshots for docs/screenshots come out (the full pass over every page is accessibility.spec.ts).
test("the instance page and the open palette are axe-clean in both themes, fit a phone, and are photographed", async ({ page }) => {
  test.setTimeout(120_000);
  const findings: TFinding[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      const where = { size: `${size.name} ${colorScheme}` };
      await openConsolePage(page, { path: "/services/orders/instances/orders-1", heading: /orders-1/ });
      await expect(page.getByTestId("golden-signals")).toBeVisible({ timeout: 15_000 });
      findings.push(...(await seriousViolations(page, { page: "instance", size: where.size })));
      expect(await pageScrollWidth(page), (await pastTheRightEdge(page)).join("; ")).toBeLessThanOrEqual(size.width);
      await page.screenshot({ path: test.info().outputPath(`instance-${size.name}-${colorScheme}.png`) });

      await page.keyboard.press("Control+k");
      await page.keyboard.type("orders");
      await expect(page.getByRole("option").first()).toBeVisible();
      findings.push(...(await seriousViolations(page, { page: "palette", size: where.size })));
      await page.screenshot({ path: test.info().outputPath(`palette-${size.name}-${colorScheme}.png`) });
      await page.keyboard.press("Escape");
    }
  }
  for (const finding of findings) console.log(`axe ${finding.size} ${finding.page}: ${finding.impact} ${finding.rule} x${finding.nodes} ${finding.example}`);
  expect(findings).toEqual([]);
});
