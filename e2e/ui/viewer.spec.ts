import { randomBytes } from "node:crypto";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

test("a viewer added by the admin sees no token form, and the API refuses them a token", async ({ page, openContext }) => {
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

  await viewerPage.getByRole("link", { name: "API tokens" }).click();
  await expect(viewerPage.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await expect(viewerPage.getByText("Only administrators can create or revoke tokens.")).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Create token" })).toHaveCount(0);
  await expect(viewerPage.getByLabel("Name")).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: /^Revoke / })).toHaveCount(0);

  // Whatever the page shows, the server decides: the viewer's own session may not create a token.
  const response = await viewerPage.request.post("/api/v1/tokens", { data: { name: uniqueName("viewer-attempt") } });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
});
