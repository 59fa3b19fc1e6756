import { expect, test } from "../support/fixtures";
import { pickService } from "../support/pages";
import { uniqueName } from "../support/registry";

test("an admin makes an alert rule through the form, sees its 24 h preview on the chart, and finds it listed", async ({ page, request }) => {
  test.setTimeout(60_000);
  // A Prometheus alertname: letters, digits and '_'.
  const name = `E2e_${uniqueName("orders").replace(/[^A-Za-z0-9]/g, "_")}`;
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const form = page.getByRole("form", { name: "New alert rule" });
  // A label around a select names it with its options too: the selects are found by name.
  await form.getByLabel("Name").fill(name);
  await pickService(form, "Service", "orders");
  await form.locator('select[name="kind"]').selectOption("p99");
  await form.getByLabel("Threshold (ms)").fill("250");
  await form.locator('select[name="window"]').selectOption("5m");
  await form.locator('select[name="for"]').selectOption("2m");
  await form.locator('select[name="severity"]').selectOption("critical");

  // The preview follows the form: the rule over the service's last 24 h, its threshold drawn on the chart.
  await expect(page.getByTestId("rule-preview-summary")).toContainText("On orders over the last 24 h this rule would have fired", { timeout: 15_000 });
  await expect(page.getByTestId("rule-preview-chart")).toContainText("p99, threshold 250");

  await form.getByRole("button", { name: "Create rule" }).click();
  const row = page.getByTestId("alert-rule").filter({ hasText: name });
  await expect(row).toContainText("p99 latency above 250 ms over 5 min for 2 min");
  await expect(row).toContainText("critical");

  // The same rule through the API, as it was stored.
  const { rules } = (await (await request.get("/api/v1/alerts/rules")).json()) as {
    rules: { name: string; service: string; threshold: number; forMs: number }[];
  };
  expect(rules.find((rule) => rule.name === name)).toMatchObject({ service: "orders", threshold: 250, forMs: 120_000 });
  // A second rule of that name is refused, next to the field.
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(form.getByRole("alert")).toContainText(`a rule named '${name}' exists`);
});
