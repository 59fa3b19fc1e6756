import Consul from "consul";
import { consulPort } from "../support/env";
import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

type TEntry = { Service: { ID: string } };

// A service registered by the npm `consul` client, as a Consul user's service does it, against Meshdeck's Consul API.
test("a service registered through the Consul client is labelled Consul; draining it in the UI takes it out of ?passing", async ({ page, request }) => {
  const created = await request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-consul") } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const consul = new Consul({ host: "127.0.0.1", port: consulPort, defaults: { token } });
  const name = uniqueName("consul-svc");
  for (const n of [1, 2]) {
    await consul.agent.service.register({
      id: `${name}-${n}`,
      name,
      address: "127.0.0.1",
      port: 9300 + n,
      tags: ["go"],
      check: { name: "ttl", ttl: "10m", timeout: "1s" },
    });
  }
  const passing = async () => ((await consul.health.service({ service: name, passing: true })) as TEntry[]).map((entry) => entry.Service.ID).sort();
  expect(await passing()).toEqual([`${name}-1`, `${name}-2`]);

  await page.goto("/services");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row.getByText("Consul", { exact: true })).toBeVisible();
  // A service of the demo fleet, registered through Meshdeck's own API, carries no such label.
  await expect(
    page
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: "orders", exact: true }) })
      .getByText("Consul", { exact: true }),
  ).toHaveCount(0);

  await page.goto(`/services/${name}`);
  await expect(page.getByTestId(`instance-${name}-2`).getByText("Consul", { exact: true })).toBeVisible();
  await page.getByLabel(`Select ${name}-2`).check();
  const panel = page.getByRole("form", { name: "Change traffic" });
  await panel.getByLabel("Change", { exact: true }).selectOption("drain");
  await panel.getByLabel("Reason").fill("e2e: drained from the console");
  await panel.getByRole("button", { name: "Apply to 1 instance" }).click();
  await expect(panel.getByRole("status")).toContainText("Saved");
  await expect(page.getByTestId(`instance-${name}-2`)).toContainText("drained");

  // The client's next ?passing answer no longer has it.
  expect(await passing()).toEqual([`${name}-1`]);
  await page.screenshot({ path: test.info().outputPath("consul-drained.png"), fullPage: true });
  for (const n of [1, 2]) await consul.agent.service.deregister(`${name}-${n}`);
});
