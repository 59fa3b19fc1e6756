import type { Page } from "@playwright/test";
import { adminEmail, adminStorageState, anonymous, baseURL, getAdminPassword } from "../support/env";
import { expect, test } from "../support/fixtures";

// The console's one time range and its times: in the reader's zone, in the URL, across pages, live or not.

const minute = 60_000;
const ranges = (page: Page) => page.getByRole("radiogroup", { name: "Time range" });
const nav = (page: Page, name: string) => page.getByRole("navigation").getByRole("link", { name, exact: true });

test.describe("in Tokyo, with the server in UTC", () => {
  test.use({ timezoneId: "Asia/Tokyo" });
  // Two fixed moments just past: the bands, and so their tooltips, are the same on every load.
  const pastLink = () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    return `/services/orders?from=${to - 15 * minute}&to=${to}`;
  };
  const band = (page: Page) => page.getByTestId("timeline-orders-1").locator("[data-state]").first();

  test("a health band's tooltip reads the same on a direct load and after client navigation, in the browser's zone", async ({ page }) => {
    // The demo fleet registers as the server starts: wait for orders-1 to have a band a few seconds long.
    await page.goto("/services/orders");
    await expect(band(page)).toBeVisible({ timeout: 30_000 });
    await page.waitForTimeout(3_000);
    const link = pastLink();
    await page.goto(link);
    await expect(band(page)).toHaveAttribute("title", /^\w[\w ]* for .+, from \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+9$/);
    const direct = await band(page).getAttribute("title");

    // The first page told the server the browser's zone: its HTML is now written in it, so hydration changes nothing.
    const html = await (await page.request.get(link)).text();
    expect(html).toContain(direct!.replaceAll("&", "&amp;"));

    await nav(page, "Events").click();
    await expect(page).toHaveURL(/\/events\?/);
    await nav(page, "Services").click();
    await page.getByRole("main").getByRole("link", { name: "orders", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}${link}`);
    await expect(band(page)).toHaveAttribute("title", direct!);
  });

  test("the UTC switch writes every time in UTC, the server keeps to it, and so does the user's other browser", async ({ page, openContext }) => {
    const link = pastLink();
    await page.goto(link);
    await expect(band(page)).toHaveAttribute("title", / UTC\+9$/);
    // The user's other browser: the same session, in Tokyo, with no choice of its own in a cookie.
    const other = await openContext({ storageState: adminStorageState });
    await other.addCookies([{ name: "meshdeck-tz", value: "Asia/Tokyo", url: baseURL }]);
    expect(await (await other.request.get(link)).text()).toContain("UTC+9");

    const utc = page.getByRole("button", { name: "UTC", exact: true });
    const saved = () => page.waitForResponse((response) => response.request().method() === "POST" && response.request().headers()["next-action"] !== undefined);
    await Promise.all([saved(), utc.click()]);
    await expect(utc).toHaveAttribute("aria-pressed", "true");
    await expect(band(page)).toHaveAttribute("title", / UTC$/);
    expect(await (await page.request.get(link)).text()).not.toContain("UTC+9");
    expect(await (await other.request.get(link)).text()).not.toContain("UTC+9");
    await page.reload();
    await expect(band(page)).toHaveAttribute("title", / UTC$/);
    await Promise.all([saved(), utc.click()]);
    await expect(band(page)).toHaveAttribute("title", / UTC\+9$/);
    expect(await (await other.request.get(link)).text()).toContain("UTC+9");
  });
});

test("the range follows the reader from page to page, survives a reload, and back and forward restore it", async ({ page }) => {
  await page.goto("/services/orders");
  await expect(ranges(page).getByRole("radio", { name: "1h" })).toHaveAttribute("aria-checked", "true");
  await ranges(page).getByRole("radio", { name: "24h" }).click();
  await expect(page).toHaveURL(/\/services\/orders\?range=24h$/);
  await expect(page.getByTestId("golden-signals")).toHaveAttribute("data-range", "24h");

  for (const [name, path] of [
    ["Events", "/events"],
    ["Topology", "/topology"],
    ["Audit log", "/audit"],
    ["Overview", "/"],
  ] as const) {
    await nav(page, name).click();
    await expect(page).toHaveURL(`${baseURL}${path}?range=24h`);
    await expect(ranges(page).getByRole("radio", { name: "24h" })).toHaveAttribute("aria-checked", "true");
  }
  await page.reload();
  await expect(ranges(page).getByRole("radio", { name: "24h" })).toHaveAttribute("aria-checked", "true");

  await nav(page, "Events").click();
  await ranges(page).getByRole("radio", { name: "6h" }).click();
  await expect(page).toHaveURL(`${baseURL}/events?range=6h`);
  await page.goBack();
  await expect(page).toHaveURL(`${baseURL}/events?range=24h`);
  await expect(ranges(page).getByRole("radio", { name: "24h" })).toHaveAttribute("aria-checked", "true");
  await page.goBack();
  await expect(page).toHaveURL(`${baseURL}/?range=24h`);
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(`${baseURL}/events?range=6h`);
  await expect(ranges(page).getByRole("radio", { name: "6h" })).toHaveAttribute("aria-checked", "true");
});

test("the range buttons are one radio group: one tab stop, arrow keys move and choose", async ({ page }) => {
  await page.goto("/events?range=1h");
  const group = ranges(page);
  await expect(group.locator('[tabindex="0"]')).toHaveCount(1);
  // The buttons are disabled until the page is hydrated: a disabled button takes no focus.
  await expect(group.getByRole("radio", { name: "1h" })).toBeEnabled();
  await group.getByRole("radio", { name: "1h" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/range=6h/);
  await expect(group.getByRole("radio", { name: "6h" })).toBeFocused();
  await expect(group.getByRole("radio", { name: "6h" })).toHaveAttribute("tabindex", "0");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(page).toHaveURL(/range=15m/);
  await page.keyboard.press("End");
  await expect(page).toHaveURL(/range=30d/);
});

test("two moments chosen in the picker, and a garbled link shown as what it is", async ({ page }) => {
  await page.goto("/events");
  await page.getByRole("button", { name: "From – to…" }).click();
  await page.getByLabel("From", { exact: true }).fill("2026-12-01T08:00");
  await page.getByLabel("To", { exact: true }).fill("2026-12-01T10:30");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\/events\?from=[^&]+&to=[^&]+$/);
  await expect(page.getByTestId("time-range-absolute")).toContainText("2026-12-01 08:00:00");
  await expect(ranges(page).locator('[aria-checked="true"]')).toHaveCount(0);

  await page.goto("/services/orders?from=banana&to=1");
  await expect(page.getByText(/time range was not understood \(from: must be an ISO 8601 time/)).toBeVisible();
  await expect(ranges(page).getByRole("radio", { name: "1h" })).toHaveAttribute("aria-checked", "true");
});

test("dragging across a chart zooms to that span, and back returns", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/services/orders");
  const chart = page.getByTestId("chart-latency");
  // recharts answers the mouse only where it has drawn the data.
  await expect(chart).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 60_000 });
  // Under the fold at the test's window size: the mouse acts only on what is on screen.
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.locator(".recharts-surface").boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 3 });
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/\/services\/orders\?from=[^&]+&to=[^&]+$/);
  await expect(page.getByTestId("golden-signals")).toHaveAttribute("data-range", "absolute");
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!);
  expect(span).toBeGreaterThan(10 * minute);
  expect(span).toBeLessThan(35 * minute);
  await page.goBack();
  await expect(page).toHaveURL(`${baseURL}/services/orders`);
  await expect(page.getByTestId("golden-signals")).toHaveAttribute("data-range", "1h");
});

test("the live indicator turns stale within two polls when the API stops answering, and can be paused", async ({ page }) => {
  await page.goto("/events");
  const indicator = page.getByTestId("live-indicator");
  await expect(indicator).toHaveAttribute("data-state", "live");
  await expect(indicator).toContainText(/data (just now|\d+(\.\d)? s old)/);

  // The events page polls every 2 s: stale at most 4 s after the last answer.
  await page.route("**/api/v1/**", (route) => route.abort());
  const blocked = Date.now();
  await expect(indicator).toHaveAttribute("data-state", /^(stale|lost)$/, { timeout: 5_000 });
  expect(Date.now() - blocked).toBeLessThanOrEqual(4_500);
  await page.unroute("**/api/v1/**");
  // The client retries a failed poll after 1, 2 and 4 s: the next of those answers.
  await expect(indicator).toHaveAttribute("data-state", "live", { timeout: 10_000 });

  await page.getByLabel("Refresh").selectOption("off");
  await expect(page).toHaveURL(/refresh=off/);
  await expect(indicator).toHaveAttribute("data-state", "paused");
  let polls = 0;
  page.on("request", (request) => {
    if (request.url().includes("/api/v1/events")) polls += 1;
  });
  await page.waitForTimeout(4_500);
  expect(polls).toBe(0);
  await page.reload();
  await expect(page.getByLabel("Refresh")).toHaveValue("off");
  await expect(indicator).toHaveAttribute("data-state", "paused");
});

test.describe("signing in", () => {
  test.use({ storageState: anonymous });

  test("returns to the page asked for, and never to another site", async ({ page }) => {
    await page.goto("/events?range=24h");
    await expect(page).toHaveURL(`${baseURL}/login?callbackUrl=${encodeURIComponent("/events?range=24h")}`);
    await page.getByLabel("Email").fill(adminEmail);
    await page.getByLabel("Password").fill(getAdminPassword());
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/events?range=24h`);

    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${encodeURIComponent("//evil.example/x")}`);
    await page.getByLabel("Email").fill(adminEmail);
    await page.getByLabel("Password").fill(getAdminPassword());
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${baseURL}/`);
  });
});
