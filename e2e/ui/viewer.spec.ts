import { randomBytes } from "node:crypto";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

test("a viewer added by the admin sees no admin links, is sent away from admin pages, and the API refuses them a token", async ({ page, openContext }) => {
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
  await expect(viewerPage.getByRole("heading", { name: "Overview" })).toBeVisible();

  const nav = viewerPage.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "Services" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Metrics settings" })).toBeVisible();
  for (const name of ["API tokens", "Users", "Health settings"]) await expect(nav.getByRole("link", { name })).toHaveCount(0);

  // Typed in by hand, the admin pages send the viewer to the overview and show nothing of theirs.
  for (const [path, heading] of [
    ["/settings/tokens", "API tokens"],
    ["/settings/users", "Users"],
    ["/settings/health", "Health settings"],
  ] as const) {
    await viewerPage.goto(path);
    await expect(viewerPage).toHaveURL(`${baseURL}/?forbidden=admin`);
    await expect(viewerPage.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(viewerPage.getByRole("heading", { name: heading })).toHaveCount(0);
  }
  await expect(viewerPage.getByText(viewer.email)).toHaveCount(0);

  // Whatever the page shows, the server decides: the viewer's own session may not create a token.
  const response = await viewerPage.request.post("/api/v1/tokens", { data: { name: uniqueName("viewer-attempt") } });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
});
