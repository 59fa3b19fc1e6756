import { expect, type Page } from "@playwright/test";

/** Every page of the console an admin can open, by a short name (used for screenshot files) and the heading it shows. */
export const consolePages = [
  { name: "overview", path: "/", heading: "Overview" },
  { name: "services", path: "/services", heading: "Services" },
  { name: "service", path: "/services/orders", heading: /orders/ },
  { name: "instance", path: "/services/orders/instances/orders-1", heading: /orders-1/ },
  { name: "topology", path: "/topology", heading: "Topology" },
  { name: "events", path: "/events", heading: "Events" },
  { name: "alerts", path: "/alerts", heading: "Alerts" },
  { name: "config", path: "/config?namespace=dev", heading: "Config" },
  { name: "config-item", path: "/config/dev/orders/behaviour", heading: /behaviour/ },
  { name: "audit", path: "/audit", heading: "Audit log" },
  { name: "sources", path: "/sources", heading: "Sources" },
  { name: "health-settings", path: "/settings/health", heading: "Health settings" },
  { name: "tokens", path: "/settings/tokens", heading: "API tokens" },
  { name: "users", path: "/settings/users", heading: "Users" },
  { name: "metrics-settings", path: "/settings/metrics", heading: "Metrics settings" },
  { name: "change-password", path: "/change-password", heading: /password/i },
  { name: "not-found", path: "/no-such-page", heading: "There is no page at this address" },
] as const;

export type TConsolePage = (typeof consolePages)[number];

/** Opens a page and waits until it is ready. */
export async function openConsolePage(page: Page, { path, heading }: Pick<TConsolePage, "path" | "heading">) {
  await page.goto(path);
  await waitForConsolePage(page, heading);
}

/** Waits until the page's heading is drawn and its first data has come in (no skeleton left). */
export async function waitForConsolePage(page: Page, heading: TConsolePage["heading"]) {
  await expect(page.getByRole("heading", { level: 1, name: heading }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("[data-skeleton]")).toHaveCount(0, { timeout: 15_000 });
}

/** Whether the page is wider than the window, i.e. scrolls sideways. */
export function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The elements whose right edge lies past the window, outermost first: what to fix when a page scrolls sideways. */
export function pastTheRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      // Inside a box that scrolls or clips, an element may be wider: only the page's own overflow counts.
      .filter((element) => {
        for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement)
          if (getComputedStyle(parent).overflowX !== "visible") return false;
        return true;
      })
      .slice(0, 5)
      .map(
        (element) => `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 80)} right=${Math.round(element.getBoundingClientRect().right)}`,
      ),
  );
}
