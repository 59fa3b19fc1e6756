import { randomBytes } from "node:crypto";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

const newUser = (prefix: string) =>
  ({ email: `${uniqueName(prefix)}@example.com`, name: `User ${prefix}`, password: randomBytes(12).toString("base64url"), role: "operator" }) as const;

test("signing out ends the session: a copy of its cookie gets the sign-in page", async ({ page, openContext }) => {
  // Its own user: signing the shared admin out would end the session every other test uses.
  const user = newUser("sign-out");
  await createUserInUi(page, user);
  const userPage = await (await openContext()).newPage();
  await signInWithForm(userPage, user);
  await expect(userPage.getByRole("heading", { name: "Overview" })).toBeVisible();
  const copied = await userPage.context().cookies();
  expect(copied.map((cookie) => cookie.name)).toContain("authjs.session-token");

  await userPage.getByRole("button", { name: "Sign out" }).click();
  await expect(userPage.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  const thief = await openContext();
  await thief.addCookies(copied);
  const thiefPage = await thief.newPage();
  await thiefPage.goto("/services");
  await expect(thiefPage).toHaveURL(`${baseURL}/login?callbackUrl=%2Fservices`);
  await expect(thiefPage.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect((await thief.request.get("/api/v1/services")).status()).toBe(401);
});

test("a password set by the admin must be changed before anything else, and a disabled user is signed out", async ({ page, openContext }) => {
  const user = newUser("forced");
  await createUserInUi(page, user);
  const row = page.getByRole("row").filter({ hasText: user.email });
  await row.getByRole("button", { name: "Set password" }).click();
  await row.getByLabel(`New password for ${user.email}`).fill("set-by-the-admin-e2e");
  await row.getByRole("button", { name: "Set", exact: true }).click();
  await expect(row).toContainText("must change password");

  const userPage = await (await openContext()).newPage();
  await signInWithForm(userPage, { email: user.email, password: "set-by-the-admin-e2e" });
  await expect(userPage).toHaveURL(`${baseURL}/change-password`);
  await expect(userPage.getByText("An administrator set your password.")).toBeVisible();
  await userPage.goto("/services");
  await expect(userPage).toHaveURL(`${baseURL}/change-password`);
  expect((await userPage.request.get("/api/v1/services")).status()).toBe(403);

  await userPage.getByLabel("Current password").fill("not-the-password");
  await userPage.getByLabel("New password").fill("my-own-password-e2e");
  await userPage.getByRole("button", { name: "Change password" }).click();
  await expect(userPage.getByText("the current password is wrong")).toBeVisible();
  await userPage.getByLabel("Current password").fill("set-by-the-admin-e2e");
  await userPage.getByLabel("New password").fill("my-own-password-e2e");
  await userPage.getByRole("button", { name: "Change password" }).click();
  await expect(userPage.getByRole("heading", { name: "Password changed" })).toBeVisible();
  await userPage.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(userPage.getByRole("heading", { name: "Overview" })).toBeVisible();

  await page.reload();
  await expect(row).toContainText("active");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  // A fresh tab with the user's cookie: the open one's live queries may already be sending it to the sign-in page,
  // which would interrupt a navigation made there.
  const freshTab = await userPage.context().newPage();
  await freshTab.goto("/services");
  await expect(freshTab).toHaveURL(`${baseURL}/login?callbackUrl=%2Fservices`);
});
