import { randomBytes } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi } from "../support/pages";
import { uniqueName } from "../support/registry";

/** Presses Tab until `target` has the focus, as a keyboard user would; fails if it never comes. */
async function tabTo(page: Page, target: Locator, { most = 150 } = {}) {
  const handle = await target.elementHandle();
  for (let presses = 0; presses < most; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((element) => element === document.activeElement, handle)) return;
  }
  throw new Error(`${most} presses of Tab never reached ${target.toString()}`);
}

/** The focused element draws an outline or a ring: focus is visible. */
function focusShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element) return false;
    const style = getComputedStyle(element);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  });
}

test("keyboard only: skip to the content, sign in, drain an instance and reset it", async ({ page, openContext }) => {
  test.setTimeout(90_000);
  const user = { email: `${uniqueName("keys")}@example.com`, name: "Kim Keys", password: randomBytes(12).toString("base64url"), role: "operator" } as const;
  await createUserInUi(page, user);
  const keys = await (await openContext()).newPage();
  await keys.setViewportSize({ width: 1440, height: 900 });

  // Sign in: the email field has the focus, Tab to the password, Enter submits.
  await keys.goto("/login");
  await expect(keys.getByLabel("Email")).toBeFocused();
  await keys.keyboard.type(user.email);
  await keys.keyboard.press("Tab");
  await expect(keys.getByLabel("Password")).toBeFocused();
  expect(await focusShows(keys)).toBe(true);
  await keys.keyboard.type(user.password);
  await keys.keyboard.press("Enter");
  await expect(keys).toHaveURL(`${baseURL}/`);

  // The first Tab offers the skip link; it moves the keyboard past the navigation.
  await keys.keyboard.press("Tab");
  const skip = keys.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await keys.keyboard.press("Enter");
  await expect(keys.locator("main")).toBeFocused();

  // On from the content: the overview's link to every service, then the service, then the instance's checkbox.
  await tabTo(keys, keys.getByRole("link", { name: /^All \d+ services$/ }));
  expect(await focusShows(keys)).toBe(true);
  await keys.keyboard.press("Enter");
  await expect(keys).toHaveURL(`${baseURL}/services?sort=status`);
  await tabTo(keys, keys.getByRole("link", { name: "users", exact: true }));
  await keys.keyboard.press("Enter");
  await expect(keys).toHaveURL(`${baseURL}/services/users`);

  const target = "users-2";
  await expect(keys.getByLabel(`Select ${target}`)).toBeVisible();
  await tabTo(keys, keys.getByLabel(`Select ${target}`));
  expect(await focusShows(keys)).toBe(true);
  await keys.keyboard.press("Space");
  await expect(keys.getByLabel(`Select ${target}`)).toBeChecked();

  const panel = keys.getByRole("form", { name: "Change traffic" });
  const change = panel.getByLabel("Change", { exact: true });
  await tabTo(keys, change);
  await keys.keyboard.press("ArrowDown"); // Set weight -> Drain
  await expect(change).toHaveValue("drain");
  await tabTo(keys, panel.getByLabel("Reason"));
  await keys.keyboard.type("e2e: drained from the keyboard");
  const apply = panel.getByRole("button", { name: "Apply to 1 instance" });
  await expect(apply).toBeEnabled();
  await tabTo(keys, apply);
  await keys.keyboard.press("Enter");
  await expect(panel.getByRole("status")).toContainText(`Saved: ${target} drained`);
  await expect(keys.getByTestId(`instance-${target}`)).toContainText("drained");

  // Reset: back to what the instance registers (enabled).
  await tabTo(keys, change);
  await keys.keyboard.press("ArrowDown"); // Drain -> Enable
  await keys.keyboard.press("ArrowDown"); // Enable -> Reset
  await expect(change).toHaveValue("reset");
  if (!(await keys.getByLabel(`Select ${target}`).isChecked())) {
    await tabTo(keys, keys.getByLabel(`Select ${target}`));
    await keys.keyboard.press("Space");
  }
  await tabTo(keys, panel.getByLabel("Reason"));
  await keys.keyboard.press("ControlOrMeta+a");
  await keys.keyboard.type("e2e: reset from the keyboard");
  await expect(apply).toBeEnabled();
  await tabTo(keys, apply);
  await keys.keyboard.press("Enter");
  await expect(panel.getByRole("status")).toContainText(`Saved: ${target} weight`);
  await expect(keys.getByTestId(`instance-${target}`)).toContainText("enabled");
});

test("a timeline band is reached with the keyboard and tells its details", async ({ page }) => {
  await page.goto("/services/orders");
  const timeline = page.getByTestId("timeline-orders-1").getByRole("group");
  await expect(timeline.locator("[data-state]").first()).toBeVisible();
  await tabTo(page, timeline.locator("[data-state]").first(), { most: 300 });
  expect(await focusShows(page)).toBe(true);
  const details = timeline.locator("p");
  await expect(details).toHaveText(/^(passing|warning|critical|unknown) for /);
  const bands = await timeline.locator("[data-state]").count();
  await page.keyboard.press("End");
  await expect(timeline.locator("[data-state]").nth(bands - 1)).toBeFocused();
  await expect(details).toHaveText(/^(passing|warning|critical|unknown) for /);
});
