import { randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { signInAsNewUser } from "../support/pages";
import { createTokenViaApi, registryClient, uniqueName } from "../support/registry";

const palette = (page: Page) => page.getByRole("dialog", { name: "Search the console" });
const field = (page: Page) => palette(page).getByRole("combobox");
const options = (page: Page) => palette(page).getByRole("option");

test("Ctrl-K finds an instance by its address and opens its page; its drain action opens the panel on drain", async ({ page, noSessionRequest }) => {
  const registry = registryClient(noSessionRequest, await createTokenViaApi(page.request, uniqueName("e2e-palette")));
  const id = uniqueName("orders-palette");
  // An address no other instance has: the search must find this one and nothing else.
  const port = randomInt(20_000, 30_000);
  const registered = await registry.register({ service: "orders", id, host: "127.0.0.9", port, tags: ["palette"], check: { kind: "ttl", ttl: "30s" } });
  expect(registered.status()).toBe(201);

  await page.goto("/events?range=6h");
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await page.keyboard.press("Control+k");
  await expect(field(page)).toBeFocused();
  await page.keyboard.type(`127.0.0.9:${port}`);
  const hit = options(page).filter({ hasText: id }).first();
  await expect(hit).toHaveAttribute("data-kind", "instance");
  await expect(options(page).first()).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  // The instance's own page, in the range the reader had.
  await expect(page).toHaveURL(`${baseURL}/services/orders/instances/${id}?range=6h`);
  await expect(page.getByTestId("instance-title")).toHaveText(id);
  await expect(page.getByText(`127.0.0.9:${port}`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Health history" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Config it holds" })).toBeVisible();

  // "/" opens it too; an operator's action opens the traffic panel on drain, the reason still to give.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("/");
  await expect(field(page)).toBeFocused();
  await page.keyboard.type(id);
  const drain = options(page).filter({ hasText: `Drain ${id}` });
  await expect(drain).toHaveAttribute("data-kind", "action");
  await drain.click();
  await expect(page).toHaveURL(`${baseURL}/services/orders/instances/${id}?change=drain&range=6h`);
  const panel = page.getByRole("form", { name: "Change traffic" });
  await expect(panel.getByLabel("Change", { exact: true })).toHaveValue("drain");
  await panel.getByLabel("Reason").fill("e2e: drained from the palette");
  await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
  await expect(panel.getByRole("status")).toContainText(`Saved: ${id} drained`);
  await expect(page.getByTestId("override")).toContainText("drained");

  // A tag opens the service's table filtered by it; Escape closes the palette.
  await page.keyboard.press("Control+k");
  await page.keyboard.type("palette");
  await options(page).filter({ hasText: "orders tagged palette" }).click();
  await expect(page).toHaveURL(`${baseURL}/services/orders?tag=palette&range=6h`);
  await expect(page.getByTestId(`instance-${id}`)).toBeVisible();
  await expect(page.getByTestId("instance-orders-1")).toHaveCount(0);
  await page.keyboard.press("Control+k");
  await expect(palette(page)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(palette(page)).toBeHidden();
  expect((await registry.deregister(id)).status()).toBe(204);
});

test("a viewer's palette offers pages and instances but no action, and no admin page", async ({ page, openContext }) => {
  const viewerPage = await signInAsNewUser(page, openContext, { role: "viewer", prefix: "palette" });
  await viewerPage.getByRole("button", { name: "Search", exact: true }).click();
  await viewerPage.keyboard.type("orders-1");
  await expect(options(viewerPage).filter({ hasText: "orders-1" }).first()).toHaveAttribute("data-kind", "instance");
  await expect(options(viewerPage).and(viewerPage.locator('[data-kind="action"]')).filter({ hasText: "Drain" })).toHaveCount(0);
  await field(viewerPage).fill("users");
  await expect(options(viewerPage).and(viewerPage.locator('[data-kind="service"]')).filter({ hasText: "users" })).toBeVisible();
  await expect(options(viewerPage).filter({ hasText: "/settings/users" })).toHaveCount(0);

  // The API answers the same whatever the page shows: no action for a viewer, and a bad query is a 422.
  const answer = await viewerPage.request.get("/api/v1/search?q=orders-1");
  expect(answer.status()).toBe(200);
  const { hits } = (await answer.json()) as { hits: { kind: string }[] };
  expect(hits.filter((hit) => hit.kind === "action")).toEqual([]);
  expect((await viewerPage.request.get(`/api/v1/search?q=${"x".repeat(65)}`)).status()).toBe(422);
  expect((await viewerPage.request.get("/api/v1/search")).status()).toBe(422);
});
