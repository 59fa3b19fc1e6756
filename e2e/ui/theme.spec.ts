import { randomBytes } from "node:crypto";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

test("the theme a user picks is kept on the user and is in the first HTML, so no page flashes the other one", async ({ page, openContext }) => {
  const user = { email: `${uniqueName("theme")}@example.com`, name: "Dana Dark", password: randomBytes(12).toString("base64url"), role: "viewer" } as const;
  await createUserInUi(page, user);
  const context = await openContext();
  const themed = await context.newPage();
  await themed.emulateMedia({ colorScheme: "light" });
  await signInWithForm(themed, user);
  await expect(themed).toHaveURL(`${baseURL}/`);
  const html = themed.locator("html");
  await expect(html).toHaveClass("theme-system");

  const toggle = themed.getByRole("group", { name: "Theme" });
  const background = () => themed.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await toggle.getByRole("button", { name: "Dark" }).click();
  await expect(html).toHaveClass("dark");
  await expect(toggle.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true");
  // The browser asks for light, the user chose dark: the page is dark.
  await expect.poll(background).not.toBe(light);

  // Kept: a new page load, in another tab of the same session, arrives dark in the HTML itself.
  await expect.poll(async () => (await (await context.request.get("/events")).text()).match(/<html[^>]*class="([^"]*)"/)?.[1]).toBe("dark");
  const other = await context.newPage();
  await other.emulateMedia({ colorScheme: "light" });
  await other.goto("/services");
  await expect(other.locator("html")).toHaveClass("dark");

  // Another user is not affected; "System" follows the browser again.
  expect((await (await page.request.get("/")).text()).match(/<html[^>]*class="([^"]*)"/)?.[1]).toBe("theme-system");
  await toggle.getByRole("button", { name: "System" }).click();
  await expect(html).toHaveClass("theme-system");
  await expect.poll(async () => (await (await context.request.get("/events")).text()).match(/<html[^>]*class="([^"]*)"/)?.[1]).toBe("theme-system");
});
