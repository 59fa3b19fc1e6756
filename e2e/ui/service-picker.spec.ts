import { expect, test } from "../support/fixtures";
import { registryClient, uniqueName } from "../support/registry";

// More services match than the picker shows: it must answer a bounded list and say how many there are.
const registered = 25;
const shownAtMost = 20;

test("the events page's service picker searches the server as you type, shows at most 20, and keeps the choice in the URL", async ({
  page,
  noSessionRequest,
}) => {
  test.setTimeout(60_000);
  const created = await page.request.post("/api/v1/tokens", { data: { name: uniqueName("e2e-picker") } });
  expect(created.status()).toBe(201);
  const registry = registryClient(noSessionRequest, ((await created.json()) as { token: string }).token);
  const prefix = uniqueName("e2e-picker");
  const names = Array.from({ length: registered }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);
  for (const service of names) {
    const registration = { service, id: `${service}-1`, host: "127.0.0.1", port: 18095, check: { kind: "ttl", ttl: "60s" }, metrics: null } as const;
    expect((await registry.register(registration)).status()).toBe(201);
  }
  const chosen = names[6]!;

  await page.goto("/events?view=events");
  const picker = page.getByRole("combobox", { name: "Service", exact: true });
  await expect(picker).toHaveValue("All services");
  await picker.fill(prefix);
  const options = page.getByRole("listbox", { name: "Service matches" }).getByRole("option");
  await expect(options).toHaveCount(shownAtMost);
  await expect(page.getByRole("status").filter({ hasText: "shown" })).toHaveText(`${shownAtMost} of ${registered} shown: type to narrow.`);
  await expect(options.first()).toHaveText(names[0]!);

  // Narrowed to one, chosen with the keyboard alone.
  await picker.fill(chosen);
  await expect(options).toHaveCount(1);
  await picker.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/events\\?view=events&service=${chosen}$`));
  await expect(picker).toHaveValue(chosen);
  await expect(picker).toHaveAttribute("aria-expanded", "false");

  // It filters: only the chosen service's events are listed.
  const events = page.getByTestId("event");
  await expect(events.filter({ hasText: "registered" })).toHaveCount(1);
  await expect(events.filter({ hasNotText: chosen })).toHaveCount(0);

  // The URL keeps it: a reload shows the same choice.
  await page.reload();
  await expect(picker).toHaveValue(chosen);

  // Escape puts back what was chosen; "All services" clears it.
  await picker.fill("nothing-is-named-this");
  await expect(page.getByRole("status").filter({ hasText: "No service holds" })).toBeVisible();
  await picker.press("Escape");
  await expect(picker).toHaveValue(chosen);
  await picker.click();
  await page.getByRole("option", { name: "All services" }).click();
  await expect(page).toHaveURL(/\/events\?view=events$/);

  // The picker open and the services list, on a desktop and a phone, light and dark: to be looked at.
  const looks = (
    [
      [1280, 720],
      [390, 844],
    ] as const
  ).flatMap(([width, height]) => (["light", "dark"] as const).map((colorScheme) => ({ size: { width, height }, colorScheme })));
  for (const { size, colorScheme } of looks) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme });
    await picker.fill(prefix);
    await expect(options).toHaveCount(shownAtMost);
    await picker.press("ArrowDown");
    await page.screenshot({ path: test.info().outputPath(`service-picker-${size.width}-${colorScheme}.png`) });
    await picker.press("Escape");
  }
  for (const { size, colorScheme } of looks) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme });
    await page.goto("/services");
    await expect(page.locator("tbody tr[data-service]").first()).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`services-list-${size.width}-${colorScheme}.png`) });
  }

  // Gone again, history kept: the specs after this one (the topology's, the overview's polls) see the demo fleet.
  for (const service of names) {
    expect((await registry.deregister(`${service}-1`)).ok()).toBe(true);
    const retired = await page.request.post(`/api/v1/services/${service}/retire`, { data: { reason: "the picker's test is done" } });
    expect(retired.status(), await retired.text()).toBe(200);
  }
});
