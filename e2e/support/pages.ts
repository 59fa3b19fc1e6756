import { randomBytes } from "node:crypto";
import { expect, type BrowserContext, type Locator, type Page } from "@playwright/test";

/** Creates an API token on the tokens page and returns it as the page shows it, once. */
export async function createTokenInUi(page: Page, name: string): Promise<string> {
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^mdk_\S+$/);
  return (await shown.textContent())?.trim() ?? "";
}

/** Adds a user on the users page (as an admin) and waits for it to be listed. */
export async function createUserInUi(page: Page, user: { email: string; name: string; password: string; role: "admin" | "operator" | "viewer" }) {
  await page.goto("/settings/users");
  // The form, not the users' rows below it, which have a role of their own.
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add user" }) });
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel("Password").fill(user.password);
  await form.getByLabel("Role").selectOption(user.role);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByLabel(`Role of ${user.email}`)).toHaveValue(user.role);
}

/** Fills in and submits the login form. */
export async function signInWithForm(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** A new user of `role`, added by the admin on `page`, signed in through the form in a browser context of its own. */
export async function signInAsNewUser(
  page: Page,
  openContext: () => Promise<BrowserContext>,
  { role, prefix }: { role: "admin" | "operator" | "viewer"; prefix: string },
): Promise<Page> {
  const user = { email: `${prefix}-${randomBytes(3).toString("hex")}@example.com`, name: `E2e ${role}`, password: randomBytes(12).toString("base64url"), role };
  await createUserInUi(page, user);
  const signedIn = await (await openContext()).newPage();
  await signInWithForm(signedIn, user);
  await expect(signedIn.getByRole("heading", { level: 1 }).first()).toBeVisible();
  return signedIn;
}

/** The number on one of the stat cards (Services, Instances, Passing, ...). */
export async function readStat(page: Page, label: string): Promise<number> {
  const text = await page
    .getByRole("definition")
    .and(page.getByLabel(label, { exact: true }))
    .textContent();
  return Number(text);
}

/** Chooses a service in a service picker (components/ui/service-picker.tsx): types its name, then picks the match. */
export async function pickService(scope: Page | Locator, label: string, name: string) {
  await scope.getByRole("combobox", { name: label, exact: true }).fill(name);
  await scope.getByRole("option", { name, exact: true }).click();
}
