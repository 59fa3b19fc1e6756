import { anonymous, baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";

test.use({ storageState: anonymous });

for (const path of ["/", "/services", "/services/orders", "/settings/tokens"]) {
  test(`sends an anonymous visitor of ${path} to the login page, asking to come back`, async ({ page }) => {
    await page.goto(path);

    await expect(page).toHaveURL(path === "/" ? `${baseURL}/login` : `${baseURL}/login?callbackUrl=${encodeURIComponent(path)}`);
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  });
}

test("sends visitors of /setup to the login page once an admin exists", async ({ page }) => {
  await page.goto("/setup");

  await expect(page).toHaveURL(`${baseURL}/login`);
  await expect(page.getByRole("button", { name: "Create administrator" })).toHaveCount(0);
});
