import { randomBytes } from "node:crypto";
import { appliedBy, replaceContent } from "../support/config";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

test("an admin edits a demo service's config, publishes it, sees the service slow down through its own endpoint, and rolls back", async ({ page, request }) => {
  test.setTimeout(60_000);
  const services = (await (await request.get("/api/v1/services/users")).json()) as { instances: { id: string; address: string }[] };
  const [instance] = services.instances;
  const before = await appliedBy(request, instance!.address);
  expect(before.behaviour.latencyMs).toBe(0);

  await page.goto("/config?namespace=dev");
  await page.getByRole("link", { name: "behaviour" }).and(page.locator('[href="/config/dev/users/behaviour"]')).click();
  await expect(page.getByTestId("validation")).toHaveText("Valid json");
  await expect(page.getByTestId(`listener-${instance!.id}`)).toContainText(`v${before.version}`, { timeout: 10_000 });

  // Invalid content shows where it is wrong and cannot go on to publishing.
  await replaceContent(page, '{"latencyMs": 150,}');
  await expect(page.getByTestId("validation")).toHaveText("Invalid json: line 1, column 19: expected a property name in double quotes, found '}'");
  await page.getByLabel("Message").fill("e2e: slow users down");
  await expect(page.getByRole("button", { name: "Review changes" })).toBeDisabled();

  await replaceContent(page, '{"latencyMs": 150, "errorRate": 0}');
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("diff")).toContainText('"latencyMs": 0,');
  await expect(page.getByTestId("diff")).toContainText('{"latencyMs": 150, "errorRate": 0}');
  await page.screenshot({ path: test.info().outputPath("config-review.png"), fullPage: true });
  await page.getByRole("button", { name: `Publish version ${before.version + 1}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Published version ${before.version + 1}.`);

  // The instance applies it live: its own endpoint says so, and its answers take the added 150 ms.
  await expect.poll(async () => (await appliedBy(request, instance!.address)).behaviour.latencyMs, { timeout: 5_000 }).toBe(150);
  const started = Date.now();
  expect((await request.get(`http://${instance!.address}/users/profile`)).status()).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(150);

  const history = page.getByTestId(`version-${before.version}`);
  await expect(page.getByTestId(`version-${before.version + 1}`)).toContainText("current");
  await expect(page.getByTestId(`version-${before.version + 1}`)).toContainText("e2e: slow users down");
  await history.getByRole("button", { name: `Roll back to version ${before.version}` }).click();
  // Before confirming, what the rollback changes against the current version.
  const preview = page.getByTestId("rollback-preview");
  await expect(preview).toContainText(`current (v${before.version + 1})`);
  await expect(preview.getByTestId("diff")).toContainText('{"latencyMs": 150, "errorRate": 0}');
  await expect(preview.getByTestId("diff")).toContainText('"latencyMs": 0,');
  await history.getByLabel(`Roll back to v${before.version}? Why:`).fill("e2e: back to normal");
  await history.getByRole("button", { name: "Confirm rollback" }).click();
  await expect(page.getByText(`Rolled back: version ${before.version + 2} has the content of version ${before.version}.`)).toBeVisible();
  await expect(page.getByTestId(`version-${before.version + 2}`)).toContainText(`rollback of v${before.version}`);
  await expect
    .poll(async () => appliedBy(request, instance!.address), { timeout: 5_000 })
    .toMatchObject({ version: before.version + 2, behaviour: { latencyMs: 0 } });
  await page.screenshot({ path: test.info().outputPath("config-history.png"), fullPage: true });
});

test("a viewer reads config but cannot publish it, in the page or through the API", async ({ page, openContext }) => {
  test.setTimeout(45_000);
  const viewer = {
    email: `${uniqueName("config-viewer")}@example.com`,
    name: "Cora Viewer",
    password: randomBytes(12).toString("base64url"),
    role: "viewer",
  } as const;
  await createUserInUi(page, viewer);
  const viewerPage = await (await openContext()).newPage();
  await signInWithForm(viewerPage, viewer);
  await expect(viewerPage).toHaveURL(`${baseURL}/`);
  await viewerPage.getByRole("link", { name: "Config" }).click();
  await expect(viewerPage.getByTestId("config-item-orders-behaviour")).toContainText("View");
  await viewerPage.goto("/config/dev/orders/behaviour");
  await expect(viewerPage.getByTestId("editor-disabled")).toHaveText("Read-only: viewers cannot publish; an operator or admin can.");
  await expect(viewerPage.getByRole("button", { name: "Review changes" })).toHaveCount(0);
  const refused = await viewerPage.request.put("/api/v1/config/items/dev/orders/behaviour", {
    data: { format: "json", content: "{}", message: "x", baseVersion: 1 },
    headers: { origin: baseURL },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
});
