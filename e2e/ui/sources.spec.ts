import { startEtcd, type TEtcd } from "../../tests/support/etcd";
import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

let etcd: TEtcd;

test.beforeAll(async () => {
  etcd = await startEtcd();
});

test.afterAll(async () => {
  await etcd?.stop();
});

test("an administrator adds an etcd source in the UI: its Kratos services appear, kept alive by their lease, and a bad key is shown skipped", async ({
  page,
  request,
}) => {
  const name = uniqueName("e2e-etcd").toLowerCase();
  const service = uniqueName("billing");
  const lease = etcd.client.lease(30);
  for (const id of ["1", "2"]) {
    const registration = {
      id: `${service}-${id}`,
      name: service,
      version: "v3",
      metadata: { weight: "50", zone: `z${id}` },
      endpoints: [`http://127.0.0.1:1960${id}`],
    };
    await lease.put(`/e2e-microservices/${service}/${registration.id}`).value(JSON.stringify(registration));
  }
  // Not Kratos's JSON: skipped, and shown with why on the page (not only in the collector's log).
  await lease.put(`/e2e-microservices/${service}/broken`).value("not json");

  await page.goto("/sources");
  await expect(page.getByTestId("source-builtin")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Kind").selectOption("etcd");
  await page.getByLabel("Convention").selectOption("kratos");
  await page.getByLabel("Endpoints").fill(etcd.endpoint);
  await page.getByLabel("Key prefix").fill("/e2e-microservices/");
  await page.getByRole("button", { name: "Add source" }).click();

  const row = page.getByTestId(`source-${name}`);
  await expect(row).toContainText("connected", { timeout: 10_000 });
  await expect(row.getByTestId("source-instances")).toHaveText("2");
  await expect(row.getByTestId("source-skipped")).toHaveText("1");
  await row.getByTestId("source-skipped").click();
  await expect(row.getByTestId("source-skip-reasons")).toContainText(`/e2e-microservices/${service}/broken`);
  await expect(row.getByTestId("source-skip-reasons")).toContainText("not Kratos ServiceInstance JSON");

  await page.getByRole("link", { name: "Services", exact: true }).click();
  const serviceRow = page.getByRole("row", { name: new RegExp(service) });
  await expect(serviceRow).toContainText(name);
  await serviceRow.getByRole("link", { name: service }).click();
  await expect(page.getByTestId(`instance-${service}-1`)).toContainText(`registered in ${name}`);
  await expect(page.getByTestId(`instance-${service}-2`)).toContainText("50");

  await lease.revoke();
  // Removing the source forgets its instances; the registry itself is not touched.
  expect((await request.delete(`/api/v1/sources/${name}`)).status()).toBe(204);
});
