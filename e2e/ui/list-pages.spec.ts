import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

// Tokens (one per service), users and sources are listed a page at a time, counted on the server: ?limit=1 makes the
// pages of a handful of rows, and the pager walks them.
const origin = { origin: baseURL };

for (const list of [
  { name: "tokens", path: "/settings/tokens", pager: "Token pages", rows: "tbody tr" },
  { name: "users", path: "/settings/users", pager: "User pages", rows: "tbody tr" },
  { name: "sources", path: "/sources", pager: "Source pages", rows: 'tbody tr[data-testid^="source-"]:not([data-testid="source-builtin"])' },
] as const) {
  test(`the ${list.name} list pages on the server, and its API says how many there are`, async ({ page }) => {
    const made: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const name = uniqueName(`e2e-${list.name}`).toLowerCase();
      const created =
        list.name === "tokens"
          ? await page.request.post("/api/v1/tokens", { data: { name }, headers: origin })
          : list.name === "users"
            ? await page.request.post("/api/v1/users", {
                data: { email: `${name}@example.com`, name, password: "paged-list-password-1", role: "viewer" },
                headers: origin,
              })
            : await page.request.post("/api/v1/sources", {
                // Nothing listens there: the source is listed, failing to connect, until it is removed below.
                data: { name, kind: "etcd", convention: "url", endpoints: ["127.0.0.1:1"], prefix: `/${name}/` },
                headers: origin,
              });
      expect(created.status(), await created.text()).toBe(201);
      made.push(name);
    }

    const api = await page.request.get(`/api/v1/${list.name}?limit=1&page=2`);
    expect(api.status()).toBe(200);
    const body = (await api.json()) as { page: number; pages: number; total: number } & Record<string, unknown[]>;
    expect(body.page).toBe(2);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.pages).toBe(body.total);
    expect(body[list.name]).toHaveLength(1);
    expect((await page.request.get(`/api/v1/${list.name}?limit=0`)).status()).toBe(422);

    await page.goto(`${list.path}?limit=1`);
    const pager = page.getByRole("navigation", { name: list.pager });
    await expect(pager).toContainText(`Page 1 of ${body.pages}`);
    await expect(page.locator(list.rows)).toHaveCount(1);
    await pager.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(`${baseURL}${list.path}?limit=1&page=2`);
    await expect(pager).toContainText(`Page 2 of ${body.pages}`);
    await expect(page.locator(list.rows)).toHaveCount(1);

    if (list.name === "sources") {
      for (const name of made) expect((await page.request.delete(`/api/v1/sources/${name}`, { headers: origin })).status()).toBe(204);
    }
  });
}
