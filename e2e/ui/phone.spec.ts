import { randomBytes } from "node:crypto";
import { consolePages, openConsolePage, pageScrollWidth, pastTheRightEdge, waitForConsolePage } from "../support/console-pages";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

const phone = { width: 390, height: 844 };

// Every link of the drawer, where it leads and the heading there.
const drawerLinks = [
  ["Overview", "/", "Overview"],
  ["Services", "/services", "Services"],
  ["Sources", "/sources", "Sources"],
  ["Topology", "/topology", "Topology"],
  ["Events", "/events", "Events"],
  ["Alerts", "/alerts", "Alerts"],
  ["Config", "/config", "Config"],
  ["Audit log", "/audit", "Audit log"],
  ["API tokens", "/settings/tokens", "API tokens"],
  ["Users", "/settings/users", "Users"],
  ["Health settings", "/settings/health", "Health settings"],
  ["Metrics settings", "/settings/metrics", "Metrics settings"],
] as const;

test("on a 390 px phone every page opens from the drawer without scrolling sideways, and the user can sign out", async ({ page, openContext }) => {
  test.setTimeout(120_000);
  // A user of its own: signing out ends only this session, not the admin's the other tests share.
  const user = { email: `${uniqueName("phone")}@example.com`, name: "Pat Phone", password: randomBytes(12).toString("base64url"), role: "admin" } as const;
  await createUserInUi(page, user);
  const context = await openContext();
  const phonePage = await context.newPage();
  await phonePage.setViewportSize(phone);
  await signInWithForm(phonePage, user);
  await expect(phonePage).toHaveURL(`${baseURL}/`);

  const menu = phonePage.getByRole("button", { name: "Menu" });
  const drawer = phonePage.locator("#nav-drawer");
  // Closed, the drawer hides the links; the page is the phone's width.
  await expect(drawer.getByRole("link", { name: "Services" })).toBeHidden();
  for (const [label, path, heading] of drawerLinks) {
    await menu.click();
    await drawer.getByRole("link", { name: label, exact: true }).click();
    await expect(phonePage).toHaveURL(`${baseURL}${path}`);
    await waitForConsolePage(phonePage, heading);
    await expect(drawer).toBeHidden();
    expect(await pageScrollWidth(phonePage), `${path}: ${(await pastTheRightEdge(phonePage)).join("; ")}`).toBeLessThanOrEqual(phone.width);
  }

  // The pages no link leads to straight away: a service and an instance, the config list and an item, the password page, a 404.
  for (const each of consolePages.filter((candidate) =>
    ["service", "instance", "config", "config-item", "change-password", "not-found"].includes(candidate.name),
  )) {
    await openConsolePage(phonePage, each);
    expect(await pageScrollWidth(phonePage), `${each.path}: ${(await pastTheRightEdge(phonePage)).join("; ")}`).toBeLessThanOrEqual(phone.width);
  }

  await phonePage.goto("/");
  await menu.click();
  await drawer.getByRole("button", { name: "Sign out" }).click();
  await expect(phonePage).toHaveURL(/\/login$/);
  await phonePage.goto("/services");
  // Signed out, the page asked for is where sign-in will return to.
  await expect(phonePage).toHaveURL(/\/login\?callbackUrl=%2Fservices$/);
});

test("at 1440 px a service's instance table shows every column without scrolling its box", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openConsolePage(page, { path: "/services/orders", heading: /orders/ });
  const table = page.getByRole("table").filter({ has: page.getByLabel("Select this page") });
  await expect(table.getByRole("columnheader", { name: "Tags, metadata" })).toBeVisible();
  await expect(page.getByTestId("instance-orders-1")).toBeVisible();
  const { scrollWidth, clientWidth } = await table.evaluate((element) => {
    const box = element.parentElement!;
    return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
});
