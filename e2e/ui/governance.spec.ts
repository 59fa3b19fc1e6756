import { randomBytes } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { baseURL } from "../support/env";
import { expect, test } from "../support/fixtures";
import { createUserInUi, signInWithForm } from "../support/pages";
import { uniqueName } from "../support/registry";

type TInstance = { id: string; address: string; override: { version: number } };

async function instancesOf(request: APIRequestContext, service: string): Promise<TInstance[]> {
  const response = await request.get(`/api/v1/services/${service}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { instances: TInstance[] }).instances;
}

/** Business requests an instance has served, by its own Prometheus counter (not the gateway's). */
async function servedBy(request: APIRequestContext, address: string): Promise<number> {
  const text = await (await request.get(`http://${address}/metrics`)).text();
  return [...text.matchAll(/^http_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, [, value]) => sum + Number(value), 0);
}

async function signedInAs(page: Page, openContext: (options?: object) => Promise<import("@playwright/test").BrowserContext>, role: "operator" | "viewer") {
  const user = { email: `${uniqueName(role)}@example.com`, name: `E2E ${role}`, password: randomBytes(12).toString("base64url"), role } as const;
  await createUserInUi(page, user);
  const other = await (await openContext()).newPage();
  await signInWithForm(other, user);
  await expect(other).toHaveURL(`${baseURL}/`);
  return other;
}

test("an operator sets an instance's weight to 0 with a preview; the gateway stops sending it requests within 2 s, and the audit log has it", async ({
  page,
  openContext,
  request,
}) => {
  test.setTimeout(60_000);
  const operator = await signedInAs(page, openContext, "operator");
  const [target, ...others] = await instancesOf(request, "inventory");
  expect(target && others.length).toBeTruthy();

  await operator.goto("/services/inventory");
  const panel = operator.getByRole("form", { name: "Change traffic" });
  await expect(panel.getByTestId("traffic-disabled")).toContainText("Select instances");
  await operator.getByLabel(`Select ${target!.id}`).check();
  await panel.getByRole("spinbutton", { name: "Weight" }).fill("0");
  await panel.getByLabel("Reason").fill("e2e: take it out");
  // The preview: the instance gets no share, the others split it.
  const preview = panel.getByTestId("traffic-preview");
  await expect(preview.getByTestId(`preview-${target!.id}`).getByTestId("share-after")).toHaveText("0%");
  await expect(preview.getByTestId("capacity")).toContainText(`${others.length} of ${others.length + 1}`);
  await operator.screenshot({ path: test.info().outputPath("weight-preview.png"), fullPage: true });

  await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
  const applied = Date.now();
  await expect(panel.getByRole("status")).toContainText(`Saved: ${target!.id} weight 0`);
  await expect(operator.getByTestId(`instance-${target!.id}`).getByRole("cell").nth(4)).toContainText("0");

  // Within 2 s of the change, the instance's own counter stops moving while the others' go on.
  await operator.waitForTimeout(Math.max(0, 2_000 - (Date.now() - applied)));
  const still = await servedBy(request, target!.address);
  const othersBefore = await Promise.all(others.map((other) => servedBy(request, other.address)));
  await operator.waitForTimeout(4_000);
  expect(await servedBy(request, target!.address)).toBe(still);
  const othersAfter = await Promise.all(others.map((other) => servedBy(request, other.address)));
  expect(othersAfter.reduce((a, b) => a + b, 0)).toBeGreaterThan(othersBefore.reduce((a, b) => a + b, 0));

  await operator.goto("/audit?action=instance.weight&service=inventory");
  await expect(operator.getByRole("row").filter({ hasText: target!.id }).filter({ hasText: "e2e: take it out" }).first()).toBeVisible();

  // Back as it was: a reset, which the instance then takes traffic again by.
  await operator.goto("/services/inventory");
  await operator.getByLabel(`Select ${target!.id}`).check();
  await panel.getByLabel("Change", { exact: true }).selectOption("reset");
  await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
  await expect(panel.getByRole("status")).toContainText("Saved");
  await expect.poll(() => servedBy(request, target!.address), { timeout: 10_000 }).toBeGreaterThan(still);
});

test("draining every instance is refused unless forced with a reason", async ({ page }) => {
  await page.goto("/services/users");
  await page.getByRole("button", { name: "all", exact: true }).click();
  const panel = page.getByRole("form", { name: "Change traffic" });
  await panel.getByLabel("Change", { exact: true }).selectOption("drain");
  await expect(panel.getByRole("alert")).toContainText("no instance would be left taking traffic");
  const apply = panel.getByRole("button", { name: /Apply to \d instances/ });
  await expect(apply).toBeDisabled();
  await panel.getByLabel("Force this change").check();
  await expect(panel.getByText("A forced change needs a reason.")).toBeVisible();
  await expect(apply).toBeDisabled();
  await page.getByRole("button", { name: "none", exact: true }).click();
  await expect(panel.getByTestId("traffic-disabled")).toBeVisible();
});

test("a change made on a page that went stale is refused as a conflict, and the page shows the current state", async ({ page, openContext, request }) => {
  const [target] = await instancesOf(request, "payments");
  const stale = await (await openContext({ storageState: await page.context().storageState() })).newPage();
  await stale.goto("/services/payments");
  // This page stops hearing from the server, as a laptop's lid closed would.
  // Any page of it: the page asks for its instances a page at a time (?limit=...).
  const servicePoll = (url: URL) => url.pathname === "/api/v1/services/payments";
  await stale.route(servicePoll, (route) => route.abort());

  const change = await request.post("/api/v1/governance/instances", {
    data: { selector: { ids: [target!.id] }, change: { weight: 40 }, reason: "e2e: someone else", expected: { [target!.id]: target!.override.version } },
    headers: { origin: baseURL },
  });
  expect(change.status()).toBe(200);

  await stale.getByLabel(`Select ${target!.id}`).check();
  const panel = stale.getByRole("form", { name: "Change traffic" });
  await panel.getByRole("spinbutton", { name: "Weight" }).fill("60");
  await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
  await expect(panel.getByRole("alert")).toContainText("was changed by someone else meanwhile");
  await stale.unroute(servicePoll);
  await expect(stale.getByTestId(`instance-${target!.id}`).getByRole("cell").nth(4)).toContainText("40");

  const reset = await request.post("/api/v1/governance/instances", {
    data: { selector: { ids: [target!.id] }, change: { reset: true } },
    headers: { origin: baseURL },
  });
  expect(reset.status()).toBe(200);
});

test("a viewer sees the controls disabled, and the server refuses the change posted with their session", async ({ page, openContext }) => {
  const viewer = await signedInAs(page, openContext, "viewer");
  await viewer.goto("/services/orders");
  const panel = viewer.getByRole("form", { name: "Change traffic" });
  await expect(panel.getByTestId("traffic-disabled")).toHaveText("Read-only: viewers cannot change traffic; an operator or admin can.");
  await expect(viewer.getByLabel("Select orders-1")).toBeDisabled();
  await expect(viewer.getByRole("form", { name: "Load balancing" }).getByLabel("Policy")).toBeDisabled();

  // The API says 403; the server action, posted as the admin's page would, answers with the same refusal.
  const api = await viewer.request.post("/api/v1/governance/instances", {
    data: { selector: { ids: ["orders-1"] }, change: { weight: 0 } },
    headers: { origin: baseURL },
  });
  expect(api.status()).toBe(403);
  expect(await api.json()).toMatchObject({ error: { code: "forbidden" } });

  await page.goto("/services/orders");
  await page.getByLabel("Select orders-1").check();
  const form = page.getByRole("form", { name: "Change traffic" });
  await form.getByRole("spinbutton", { name: "Weight" }).fill("0");
  const fields = Object.fromEntries(
    await form.evaluate((element: HTMLFormElement) =>
      [...new FormData(element)].map(([name, value]) => [name, typeof value === "string" ? value : value.name]),
    ),
  );
  expect(Object.keys(fields).some((name) => name.startsWith("$ACTION"))).toBe(true);
  const posted = await viewer.request.post("/services/orders", { multipart: fields, headers: { origin: baseURL } });
  expect(posted.status()).toBe(200);
  expect(await posted.text()).toContain("this needs the operator role; you are viewer");
  expect(
    (await (await page.request.get("/api/v1/services/orders")).json()).instances.find((instance: TInstance & { weight: number }) => instance.id === "orders-1")
      .weight,
  ).toBe(100);
});

test("the API refuses bad changes, naming the field, and changes nothing", async ({ request }) => {
  const cases = [
    { data: { selector: { ids: ["orders-1"] }, change: { weight: 10001 } }, status: 422, field: "change.weight" },
    { data: { selector: { ids: ["orders-1"] }, change: { weight: 1.5 } }, status: 422, field: "change.weight" },
    { data: { selector: { ids: ["no-such-instance"] }, change: { weight: 1 } }, status: 404, field: "selector.ids" },
    { data: { selector: {}, change: { weight: 1 } }, status: 422, field: "selector" },
    { data: { selector: { ids: ["orders-1"] }, change: { enabled: false }, force: true }, status: 422, field: "reason" },
  ];
  for (const { data, status, field } of cases) {
    const response = await request.post("/api/v1/governance/instances", { data, headers: { origin: baseURL } });
    expect(response.status(), JSON.stringify(data)).toBe(status);
    expect(((await response.json()) as { error: { field?: string } }).error.field).toBe(field);
  }
  const policy = await request.put("/api/v1/services/orders/policy", { data: { policy: "fastest" }, headers: { origin: baseURL } });
  expect(policy.status()).toBe(422);
  expect(await policy.json()).toMatchObject({ error: { field: "policy" } });
});
