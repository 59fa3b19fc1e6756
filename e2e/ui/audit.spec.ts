import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createTokenInUi, createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

const header = "at,actor_type,actor,action,service,target,reason,before,after";

/** Marks the window, so a test can show later that the page was never reloaded. */
async function markWindow(page: Page) {
  await page.evaluate(() => Object.assign(window, { neverReloaded: true }));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => "neverReloaded" in window), "the page was not reloaded").toBe(true);
}

test("a token created in the UI is on the audit page filtered by action, and new ones arrive live", async ({ page }) => {
  test.setTimeout(60_000); // the first pages a fresh server renders take seconds each on a busy 2-core machine
  const name = uniqueName("e2e-audit");
  await createTokenInUi(page, name);

  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByLabel("Action").selectOption("api-token.create");
  await expect(page).toHaveURL(`${baseURL}/audit?action=api-token.create`, { timeout: 10_000 });
  const rows = page.getByTestId("audit-event");
  const row = rows.filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("api-token.create");
  await expect(row.getByText("admin", { exact: true }).first()).toBeVisible(); // who, and the role badge
  await expect(row.getByText(name, { exact: true })).toBeVisible(); // the change: name <token name>
  await expect(rows.filter({ hasNotText: "api-token.create" })).toHaveCount(0);

  // Another token made meanwhile shows up without a reload: the page polls the API.
  await markWindow(page);
  const second = uniqueName("e2e-audit-live");
  expect((await page.request.post("/api/v1/tokens", { data: { name: second } })).status()).toBe(201);
  await expect(rows.first()).toContainText(second, { timeout: 10_000 });
  await expectNotReloaded(page);

  // The before/after JSON is a click away.
  await row.getByText("JSON").click();
  await expect(row.locator("pre").last()).toContainText(`"name": "${name}"`);
  await page.screenshot({ path: test.info().outputPath("audit-page.png"), fullPage: true });
});

test("the export link carries the filters and downloads a CSV with the token's row", async ({ page }) => {
  test.setTimeout(60_000);
  const name = uniqueName("e2e-audit-csv");
  await createTokenInUi(page, name);
  await page.goto("/audit?action=api-token.create");
  await expect(page.getByTestId("audit-event").filter({ hasText: name })).toHaveCount(1);

  const exportLink = page.getByRole("link", { name: "Export CSV" });
  await expect(exportLink).toHaveAttribute("href", "/api/v1/audit/export?action=api-token.create");
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^meshdeck-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile(await download.path(), "utf8")).split("\r\n");
  expect(lines[0]).toBe(header);
  expect(lines.at(-1), "the file ends with a line break").toBe("");
  const records = lines.slice(1, -1);
  expect(
    records.every((line) => line.split(",")[3] === "api-token.create"),
    "only the filtered action",
  ).toBe(true);
  const line = records.find((record) => record.includes(name));
  expect(line).toMatch(
    new RegExp(
      `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,user,admin,api-token\\.create,,api-token/[a-z0-9]+,,,"\\{""name"":""${name}"",""prefix"":""mdk_[^"]+"",""permissions"":\\[[^\\]]+\\]\\}"$`,
    ),
  );

  const response = await page.request.get("/api/v1/audit/export?action=api-token.");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="meshdeck-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(Number(response.headers()["x-meshdeck-rows"])).toBeGreaterThanOrEqual(2);
});

test("the audit API refuses bad filters naming the field, and refuses API tokens", async ({ page, noSessionRequest }) => {
  const bad = [
    ["from=yesterday", "from"],
    ["to=2026-13-40", "to"],
    ["from=2026-01-02&to=2026-01-01", "to"],
    ["action=no%20spaces", "action"],
    ["service=a/b", "service"],
    ["user=a&user=b", "user"],
    ["cursor=x", "cursor"],
    ["colour=red", "colour"],
  ] as const;
  for (const path of ["/api/v1/audit", "/api/v1/audit/export"]) {
    for (const [query, field] of bad) {
      const response = await page.request.get(`${path}?${query}`);
      expect(response.status(), `${path}?${query}`).toBe(422);
      expect(await response.json()).toMatchObject({ error: { code: "validation_failed", field } });
    }
  }
  const listed = await page.request.get("/api/v1/audit?action=api-token.&limit=2");
  expect(listed.status()).toBe(200);
  const body = (await listed.json()) as { events: { action: string }[]; nextCursor: string | null };
  expect(body.events.length).toBeLessThanOrEqual(2);
  expect(body.events.every((event) => event.action.startsWith("api-token."))).toBe(true);
  expect(body).toHaveProperty("nextCursor");

  const created = await page.request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-audit-token") } });
  const headers = { authorization: `Bearer ${((await created.json()) as { token: string }).token}` };
  for (const path of ["/api/v1/audit", "/api/v1/audit/export"]) {
    const withToken = await noSessionRequest.get(path, { headers });
    expect(withToken.status(), path).toBe(403);
    expect(await withToken.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await noSessionRequest.get(path)).status(), path).toBe(401);
  }
});

test("a viewer reads the audit log and its export, with nothing to change in it", async ({ page, openContext }) => {
  test.setTimeout(60_000);
  const viewer = {
    email: `${uniqueName("audit-viewer")}@example.com`,
    name: "Vic Viewer",
    password: randomBytes(12).toString("base64url"),
    role: "viewer",
  } as const;
  await createUserInUi(page, viewer);

  const viewerPage = await (await openContext()).newPage();
  await signInWithForm(viewerPage, viewer);
  await expect(viewerPage).toHaveURL(`${baseURL}/`);
  await viewerPage.getByRole("link", { name: "Audit log" }).click();
  await expect(viewerPage.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await viewerPage.getByLabel("Action").selectOption("user.create");
  await expect(viewerPage).toHaveURL(`${baseURL}/audit?action=user.create`, { timeout: 10_000 });
  const row = viewerPage.getByTestId("audit-event").filter({ hasText: viewer.email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("viewer");
  await expect(viewerPage.getByTestId("audit-event").getByRole("button")).toHaveCount(0);
  await viewerPage.screenshot({ path: test.info().outputPath("audit-viewer.png"), fullPage: true });

  const exported = await viewerPage.request.get("/api/v1/audit/export?action=user.create");
  expect(exported.status()).toBe(200);
  expect(await exported.text()).toContain(viewer.email);
});
