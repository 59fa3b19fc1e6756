import { appliedBy, replaceContent } from "../support/config";
import { adminStorageState } from "../support/env";
import { expect, test } from "../support/fixtures";
import { uniqueName } from "../support/registry";

test("a gray release reaches only the chosen instance, shows who holds it, and is promoted to everyone", async ({ page, request }) => {
  test.setTimeout(60_000);
  const found = (await (await request.get("/api/v1/services/inventory")).json()) as { instances: { id: string; address: string }[] };
  const [chosen, other] = found.instances;
  const before = await appliedBy(request, chosen!.address);

  await page.goto("/config/dev/inventory/behaviour");
  await expect(page.getByTestId(`listener-${chosen!.id}`)).toContainText(`v${before.version}`, { timeout: 10_000 });
  await replaceContent(page, '{"latencyMs": 1, "errorRate": 0}');
  await page.getByLabel("Message").fill("e2e: try 1 ms on one instance");
  await page.getByRole("button", { name: "Review changes" }).click();
  await page.getByLabel("chosen instances first (gray release)").check();
  await page.getByLabel("Instance ids").fill(chosen!.id);
  await page.getByRole("button", { name: `Start gray release of version ${before.version + 1}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Gray release started: version ${before.version + 1} goes to ${chosen!.id} first.`);

  // The chosen instance runs the gray version; the other keeps the current one.
  await expect
    .poll(async () => appliedBy(request, chosen!.address), { timeout: 5_000 })
    .toMatchObject({ version: before.version + 1, gray: true, behaviour: { latencyMs: 1 } });
  expect(await appliedBy(request, other!.address)).toMatchObject({ version: before.version, gray: false });
  const gray = page.getByTestId("gray-release");
  await expect(gray).toContainText(`Version ${before.version + 1} goes to ${chosen!.id} before everyone`);
  await expect(gray).toContainText(`1 of 1 listening instances in it hold version ${before.version + 1}.`, { timeout: 10_000 });
  await expect(page.getByTestId("editor-disabled")).toContainText("A gray release of version");
  await page.screenshot({ path: test.info().outputPath("config-gray.png"), fullPage: true });

  await gray.getByLabel("Message").fill("e2e: looks fine");
  await gray.getByRole("button", { name: "Promote to everyone" }).click();
  // Promoted, the gray version becomes everyone's (no new version): the chosen instance hears its gray release ended.
  await expect
    .poll(async () => appliedBy(request, other!.address), { timeout: 5_000 })
    .toMatchObject({ version: before.version + 1, gray: false, behaviour: { latencyMs: 1 } });
  await expect
    .poll(async () => appliedBy(request, chosen!.address), { timeout: 5_000 })
    .toMatchObject({ version: before.version + 1, gray: false, behaviour: { latencyMs: 1 } });
  await expect(page.getByTestId(`version-${before.version + 1}`)).toContainText("current");
  await expect(gray).toContainText(`v${before.version + 1} promoted by admin`);
});

test("a publish over someone else's is refused as a conflict, with their change beside mine", async ({ page, openContext }) => {
  test.setTimeout(45_000);
  const group = uniqueName("conflict");
  await page.goto("/config?namespace=dev");
  await page.getByLabel("Group").fill(group);
  await page.getByLabel("Key").fill("app.yaml");
  await page.getByLabel("Format").selectOption("yaml");
  await page.getByRole("button", { name: "Open editor" }).click();
  await expect(page).toHaveURL(new RegExp(`/config/dev/${group}/app.yaml`));
  await replaceContent(page, "pool: 10\n");
  await page.getByLabel("Message").fill("first");
  await page.getByRole("button", { name: "Review changes" }).click();
  await page.getByRole("button", { name: "Publish version 1" }).click();
  // Once published, the page becomes the item's own, with its history.
  await expect(page.getByTestId("version-1")).toContainText("first");

  // Both open version 1; the other publishes first.
  const otherPage = await (await openContext({ storageState: adminStorageState })).newPage();
  await otherPage.goto(`/config/dev/${group}/app.yaml`);
  await replaceContent(page, "pool: 20\n");
  await page.getByLabel("Message").fill("mine");
  await page.getByRole("button", { name: "Review changes" }).click();
  await replaceContent(otherPage, "pool: 30\n");
  await otherPage.getByLabel("Message").fill("theirs");
  await otherPage.getByRole("button", { name: "Review changes" }).click();
  await otherPage.getByRole("button", { name: "Publish version 2" }).click();
  await expect(otherPage.getByRole("status")).toHaveText("Published version 2.");

  await page.getByRole("button", { name: /^Publish version/ }).click();
  await expect(page.getByText(/^Conflict:/)).toBeVisible();
  const theirsBesideMine = page.getByTestId("diff").filter({ hasText: "version 2 (published meanwhile)" });
  await expect(theirsBesideMine).toContainText("pool: 30");
  await expect(theirsBesideMine).toContainText("pool: 20");
  await page.getByRole("button", { name: "Keep my edit on top of version 2" }).click();
  await page.getByRole("button", { name: "Publish version 3" }).click();
  await expect(page.getByRole("status")).toHaveText("Published version 3.");
  await expect(page.getByTestId("version-2")).toContainText("theirs");
});

test("an export of dev imports into staging after a preview of what it changes", async ({ page }) => {
  test.setTimeout(45_000);
  await page.goto("/config?namespace=dev");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export dev (JSON)" }).click();
  const file = JSON.parse(await (await (await download).createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"))) as {
    items: { group: string; key: string }[];
  };
  const one = { ...file, items: file.items.filter((item) => item.group === "payments" && item.key === "behaviour") };
  expect(one.items).toHaveLength(1);

  await page.goto("/config?namespace=staging");
  const upload = { name: "payments.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(one)) };
  await page.getByLabel("Import file").setInputFiles(upload);
  // The e2e database starts empty each run: staging has no payments config yet.
  await expect(page.getByRole("row", { name: /payments\/behaviour/ })).toContainText("new");
  await expect(page.getByText("payments.json: 1 item, 1 would change")).toBeVisible();
  await page.getByLabel("Message").fill("e2e: copy payments from dev");
  await page.getByRole("button", { name: "Import 1 item" }).click();
  await expect(page.getByRole("status")).toHaveText("Imported: 1 item published into staging.");
  await expect(page.getByTestId("config-item-payments-behaviour")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("config-import.png"), fullPage: true });

  await page.getByLabel("Import file").setInputFiles({ ...upload, buffer: Buffer.from("{not json") });
  await expect(page.getByText("the body is not valid JSON")).toBeVisible();
});
