import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { adminStorageState, baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

const defaultStatusLabels = "code, status, status_code, http_response_status_code";

async function openSettings(page: Page) {
  await page.goto("/settings/metrics");
  await expect(page.getByRole("heading", { name: "Metrics settings" })).toBeVisible();
}

async function saveSettings(page: Page) {
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/^Saved; the collector uses these settings/)).toBeVisible();
}

/** A field's label, which also holds its error, under the input. */
function fieldLabel(page: Page, label: string) {
  return page.locator("label").filter({ hasText: new RegExp(`^${label}`) });
}

// A port that was free a moment ago and that nothing listens on now.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The whole suite shares this server and its demo fleet: whatever happens here, it gets the defaults back.
test.afterAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL, storageState: adminStorageState });
  const page = await context.newPage();
  await openSettings(page);
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await saveSettings(page);
  await context.close();
});

test("an admin changes the scrape interval, and it is still set after a reload", async ({ page }) => {
  await openSettings(page);
  await page.getByLabel("Scrape interval").selectOption("5s");
  // The default timeout (5s) must be shorter than the interval.
  await page.getByLabel("Timeout").fill("2s");
  await saveSettings(page);

  await page.reload();
  await expect(page.getByLabel("Scrape interval")).toHaveValue("5s");
  await expect(page.getByLabel("Timeout")).toHaveValue("2s");
});

test("a Prometheus server that does not answer is refused next to its URL, and nothing changes", async ({ page }) => {
  await openSettings(page);
  const calleeLabel = await page.getByLabel("Callee label").inputValue();
  const url = `http://127.0.0.1:${await closedPort()}`;

  await page.getByLabel("Read from a Prometheus server").check();
  await page.getByLabel("Prometheus URL").fill(url);
  await page.getByLabel("Callee label").fill(`${calleeLabel}_x`);
  await page.getByRole("button", { name: "Save settings" }).click();

  await expect(fieldLabel(page, "Prometheus URL")).toContainText(`Prometheus did not answer: connection refused by ${url.slice("http://".length)}`);
  await expect(page.getByLabel("Prometheus URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Not saved: see the fields marked in red.")).toBeVisible();
  // What was typed stays in the form, to be corrected.
  await expect(page.getByLabel("Prometheus URL")).toHaveValue(url);

  await page.reload();
  await expect(page.getByLabel("Scrape each instance's endpoint")).toBeChecked();
  await expect(page.getByLabel("Prometheus URL")).toHaveValue("");
  await expect(page.getByLabel("Callee label")).toHaveValue(calleeLabel);
});

test("bad names and a timeout as long as the interval are refused next to their fields", async ({ page }) => {
  await openSettings(page);
  const statusLabels = await page.getByLabel("Status labels").inputValue();
  await page.getByLabel("Scrape interval").selectOption("2s");
  await page.getByLabel("Timeout").fill("2s");
  await page.getByLabel("Status labels").fill("code, http-status");
  await page.getByRole("button", { name: "Save settings" }).click();

  await expect(fieldLabel(page, "Timeout")).toContainText("must be shorter than the interval");
  await expect(fieldLabel(page, "Status labels")).toContainText('"http-status" must be a Prometheus metric or label name');
  await expect(page.getByLabel("Server latency")).toHaveAttribute("aria-invalid", "false");

  await page.reload();
  await expect(page.getByLabel("Status labels")).toHaveValue(statusLabels);
});

test("reset to defaults fills in the documented defaults, and saving them restores them", async ({ page }) => {
  await openSettings(page);
  await page.getByLabel("Scrape interval").selectOption("5s");
  await page.getByLabel("Timeout").fill("2s");
  await page.getByLabel("Status labels").fill("status");
  await page.getByLabel("Callee label").fill("peer_service_name");
  await saveSettings(page);
  await page.reload();
  await expect(page.getByLabel("Status labels")).toHaveValue("status");

  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(page.getByText("Defaults filled in; save to apply them.")).toBeVisible();
  await expect(page.getByLabel("Status labels")).toHaveValue(defaultStatusLabels);
  await saveSettings(page);

  await page.reload();
  await expect(page.getByLabel("Scrape each instance's endpoint")).toBeChecked();
  await expect(page.getByLabel("Scrape interval")).toHaveValue("10s");
  await expect(page.getByLabel("Timeout")).toHaveValue("5s");
  await expect(page.getByLabel("Status labels")).toHaveValue(defaultStatusLabels);
  await expect(page.getByLabel("Callee label")).toHaveValue("peer_service");
  await expect(page.getByLabel("Server latency")).toHaveValue(
    "http_request_duration_seconds, http_server_requests_seconds, http_server_request_duration_seconds",
  );
});

test("a viewer sees the settings read-only, and the server refuses the form posted with their session", async ({ page, openContext }) => {
  const viewer = {
    email: `${uniqueName("viewer")}@example.com`,
    name: "Vera Viewer",
    password: randomBytes(12).toString("base64url"),
    role: "viewer",
  } as const;
  await createUserInUi(page, viewer);

  const viewerPage = await (await openContext()).newPage();
  await signInWithForm(viewerPage, viewer);
  await expect(viewerPage).toHaveURL(`${baseURL}/`);
  await openSettings(viewerPage);
  await expect(viewerPage.getByText("Read-only: only admins change metrics settings.")).toBeVisible();
  await expect(viewerPage.getByLabel("Scrape interval")).toBeDisabled();
  await expect(viewerPage.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Reset to defaults" })).toHaveCount(0);

  // Whatever the page shows, the server decides: the admin's form (with its action id), posted as the viewer, is refused.
  await openSettings(page);
  const form = page.getByRole("form", { name: "Metrics settings" });
  const fields = Object.fromEntries(
    await form.evaluate((element: HTMLFormElement) =>
      [...new FormData(element)].map(([name, value]) => [name, typeof value === "string" ? value : value.name]),
    ),
  );
  expect(Object.keys(fields).some((name) => name.startsWith("$ACTION"))).toBe(true);
  const response = await viewerPage.request.post("/settings/metrics", { multipart: { ...fields, interval: "1s" }, headers: { origin: baseURL } });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain("Not saved: this needs the admin role; you are viewer");

  await page.reload();
  await expect(page.getByLabel("Scrape interval")).not.toHaveValue("1s");
});
