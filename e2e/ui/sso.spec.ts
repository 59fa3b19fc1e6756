import type { Page } from "@playwright/test";
import { oidcName, oidcUsers, type TOidcLogin } from "../../tests/support/oidc-people";
import { anonymous, baseURL, oidcIssuer } from "../support/env";
import { expect, test } from "../support/fixtures";

// Single sign-on through the test OIDC provider playwright.config.ts starts (the npm oidc-provider package):
// its own login form, then the role its groups map to. Each test is a fresh browser, so the provider's own
// session of one person never signs in the next.
test.use({ storageState: anonymous });

async function signInThroughProvider(page: Page, login: TOidcLogin) {
  await page.goto("/login");
  await page.getByRole("button", { name: `Sign in with ${oidcName}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${oidcIssuer}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill(`${oidcUsers[login].email}-password`);
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test("an admin of the provider signs in through its form, sees the admin pages as an SSO user, and sign-out ends the session", async ({
  page,
  openContext,
}) => {
  await signInThroughProvider(page, "ada");
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Users" })).toBeVisible();

  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: oidcUsers.ada.email });
  await expect(row).toContainText("SSO");
  await expect(row).toContainText(oidcUsers.ada.name);
  const copied = await page.context().cookies();
  expect(copied.map((cookie) => cookie.name)).toContain("authjs.session-token");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${baseURL}/login`);
  await expect(page.getByRole("button", { name: `Sign in with ${oidcName}` })).toBeVisible();

  // The session ended on the server: a copy of its cookie is refused.
  const thief = await openContext();
  await thief.addCookies(copied);
  expect((await thief.request.get("/api/v1/services")).status()).toBe(401);
  const thiefPage = await thief.newPage();
  await thiefPage.goto("/settings/users");
  await expect(thiefPage).toHaveURL(`${baseURL}/login?callbackUrl=%2Fsettings%2Fusers`);
});

test("an operator of the provider signs in as an operator and is kept from the admin pages", async ({ page }) => {
  await signInThroughProvider(page, "otto");
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Users" })).toHaveCount(0);

  await page.goto("/settings/users");
  await expect(page).toHaveURL(`${baseURL}/?forbidden=admin`);
  await expect(page.getByRole("heading", { name: "Users" })).toHaveCount(0);
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  expect((await page.request.get("/api/v1/services")).status()).toBe(200);
});

test("a person whose groups map to no role is refused, with the reason, and gets no session", async ({ page }) => {
  await signInThroughProvider(page, "una");
  await expect(page).toHaveURL(`${baseURL}/login/error?error=no-role`);
  await expect(page.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("none of your groups gives a Meshdeck role, so you have no access");
  expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("authjs.session-token");
  expect((await page.request.get("/api/v1/services")).status()).toBe(401);
});
