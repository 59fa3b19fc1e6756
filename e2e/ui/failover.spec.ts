import { expect, test } from "../support/fixtures";

// orders-3 is http-checked by the collector (1 s interval, fall 2); crashing it closes its port for good.
const service = "orders";
const victim = "orders-3";

test("a demo instance that dies turns critical on the open service page, and its failover shows on the open events page", async ({
  page,
  context,
  request,
}) => {
  const detail = await request.get(`/api/v1/services/${service}`);
  expect(detail.status()).toBe(200);
  const instance = ((await detail.json()) as { instances: { id: string; address: string; health: string }[] }).instances.find(
    (candidate) => candidate.id === victim,
  );
  expect(instance?.health).toBe("passing");

  await page.goto(`/services/${service}`);
  const row = page.getByTestId(`instance-${victim}`);
  await expect(row.getByText("passing", { exact: true })).toBeVisible();
  const eventsPage = await context.newPage();
  await eventsPage.goto(`/events?service=${service}&kind=failover`);
  await expect(eventsPage.getByRole("heading", { name: "Events" })).toBeVisible();
  const failover = eventsPage.getByTestId("event").filter({ hasText: victim });
  const before = await failover.count();

  // Kill it for real: the instance closes its port, as a crashed process would.
  const crash = await request.post(`http://${instance!.address}/_demo/crash`);
  expect(crash.status()).toBe(202);

  // Detection within interval x fall + 0.5 s, then a poll of the page (1 s) to show it.
  await expect(row.getByText("critical", { exact: true })).toBeVisible({ timeout: 5_000 });
  await expect(row).toContainText("ECONNREFUSED");
  await expect(failover).toHaveCount(before + 1, { timeout: 5_000 });
  const story = failover.first();
  await expect(story).toContainText(/detected in \d(\.\d)? s/);
  // Other tests may have added instances to orders meanwhile; the two demo survivors take a share.
  await expect(story).toContainText(/orders-1 \d+(\.\d)?%/);
  await expect(story).toContainText(/orders-2 \d+(\.\d)?%/);
});
