import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

test("an admin makes a CI token holding only governance.change for orders*, with an expiry; it is shown once and refused elsewhere", async ({
  page,
  noSessionRequest,
}) => {
  const name = uniqueName("ci-orders");
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill(name);
  // A new token starts with what a service needs; this one holds governance alone.
  for (const permission of ["registry.register", "services.read", "events.read", "config.read"]) await page.getByLabel(permission, { exact: true }).uncheck();
  await page.getByLabel("governance.change", { exact: true }).check();
  await page.getByLabel("governance.change scope").fill("orders*");
  await page.getByLabel("Expires").selectOption("7d");
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^mdk_\S+$/);
  const token = (await shown.textContent())!.trim();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("governance.change (orders*)");
  await expect(row).toContainText("until");
  // Shown once: the page, loaded again, lists the token without it.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);

  const headers = { authorization: `Bearer ${token}` };
  const elsewhere = await noSessionRequest.post("/api/v1/governance/instances", {
    headers,
    data: { selector: { service: "payments" }, change: { enabled: false }, reason: "not mine" },
  });
  expect(elsewhere.status()).toBe(403);
  expect((await elsewhere.json()).error.message).toBe("this API token lacks governance.change for service 'payments'");
  const read = await noSessionRequest.get("/api/v1/services", { headers });
  expect(read.status()).toBe(403);
  expect((await read.json()).error.message).toBe("this API token lacks services.read");
});
