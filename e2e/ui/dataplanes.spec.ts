import { startHaproxy } from "../../tests/support/haproxy";
import { expect, test } from "../support/fixtures";
import { registryClient, uniqueName } from "../support/registry";

// A real HAProxy (Debian's) driven by Meshdeck: a drain on the service page reaches it, and the data plane page shows
// HAProxy's own view of the server (from `show stat`) as DRAIN beside Meshdeck's; the preview names the backend first.
test("a drain on the service page: the data plane page shows HAProxy's server in DRAIN", async ({ page, request }) => {
  test.setTimeout(60_000);
  const service = uniqueName("edge-svc");
  const haproxy = await startHaproxy({ backends: [service] });
  const plane = uniqueName("edge");
  try {
    const created = await request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-dataplane") } });
    expect(created.status()).toBe(201);
    const registry = registryClient(request, ((await created.json()) as { token: string }).token);
    for (const n of [1, 2]) {
      const registered = await registry.register({
        service,
        id: `${service}-${n}`,
        host: "127.0.0.1",
        port: 9400 + n,
        check: { kind: "ttl", ttl: "10m" },
        metrics: null,
      });
      expect(registered.status()).toBe(201);
    }
    expect((await request.post("/api/v1/dataplanes", { data: { name: plane, kind: "haproxy", address: haproxy.socket } })).status()).toBe(201);

    await page.goto("/dataplanes");
    const backend = page.getByTestId(`backend-${service}`);
    await expect(backend.getByText("in step")).toBeVisible({ timeout: 10_000 });
    await expect(backend.getByTestId(`server-${service}-2`).getByTestId("haproxy-status")).toHaveText("no check");

    await page.goto(`/services/${service}`);
    await page.getByLabel(`Select ${service}-2`).check();
    const panel = page.getByRole("form", { name: "Change traffic" });
    await panel.getByLabel("Change", { exact: true }).selectOption("drain");
    await panel.getByLabel("Reason").fill("e2e: drained for HAProxy");
    // The preview counts the data plane: the drain takes the server out of HAProxy's backend.
    await expect(panel.getByTestId("dataplane-preview")).toHaveText(`This change takes ${service}-2 out of haproxy backend ${service} (${plane}).`);
    await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
    await expect(panel.getByRole("status")).toContainText("Saved");

    await page.goto("/dataplanes");
    await expect(page.getByTestId(`dataplane-${plane}`)).toContainText("connected");
    await expect(backend.getByTestId(`server-${service}-2`).getByTestId("haproxy-status")).toHaveText("DRAIN");
    await expect(backend.getByTestId(`server-${service}-1`).getByTestId("haproxy-status")).toHaveText("no check");
    await expect(backend.getByText("in step")).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("dataplane-drain.png"), fullPage: true });
    // And HAProxy itself says so.
    expect(await haproxy.command(`show servers state ${service}`)).toMatch(new RegExp(`${service}-2 127\\.0\\.0\\.1 2 8 `));
  } finally {
    await request.delete(`/api/v1/dataplanes/${plane}`);
    await haproxy.stop();
  }
});
