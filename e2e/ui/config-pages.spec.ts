import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

// A namespace may hold an item per service: the list is a page at a time, counted and searched on the server.
test("the config list pages on the server: a page of two, then the next, and the API says how many there are", async ({ page }) => {
  const group = uniqueName("e2e-paged");
  const keys = ["a", "b", "c"];
  for (const key of keys) {
    const published = await page.request.put(`/api/v1/config/items/dev/${group}/${key}`, {
      data: { format: "json", content: "{}", message: "paging", baseVersion: 0 },
      headers: { origin: baseURL },
    });
    expect(published.status(), key).toBe(200);
  }

  const listed = await page.request.get(`/api/v1/config?namespace=dev&q=${group}&limit=2&page=2`);
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toMatchObject({ namespace: "dev", total: 3, page: 2, pages: 2, items: [{ group, key: "c" }] });

  await page.goto(`/config?namespace=dev&q=${group}&limit=2`);
  const rows = page.locator(`tr[data-testid^="config-item-${group}-"]`);
  await expect(rows).toHaveCount(2);
  const pager = page.getByRole("navigation", { name: "Item pages" });
  await expect(pager).toContainText("Page 1 of 2");
  await expect(page.getByText("2 items of 3 shown")).toBeVisible();
  await pager.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(new RegExp(`/config\\?namespace=dev&q=${group}&limit=2&page=2$`));
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`config-item-${group}-c`)).toBeVisible();
  await expect(pager).toContainText("Page 2 of 2");
});
