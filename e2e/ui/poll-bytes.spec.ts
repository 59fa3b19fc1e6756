import { expect, test } from "../support/fixtures";

// The overview left open: what its polls download in a minute at the demo size, headers included, as the network counts it.
test("the open overview downloads under 100 KB a minute", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const urls = new Map<string, string>();
  let bytes = 0;
  let requests = 0;
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  cdp.on("Network.loadingFinished", (event) => {
    if (!urls.get(event.requestId)?.includes("/api/")) return;
    bytes += event.encodedDataLength;
    requests += 1;
  });
  const window = 30_000;
  await page.waitForTimeout(window);
  const perMinute = (bytes * 60_000) / window;
  console.log(`overview polls: ${requests} requests, ${bytes} bytes in ${window / 1000} s = ${Math.round(perMinute / 1024)} KB/min`);
  test.info().annotations.push({ type: "bytes-per-minute", description: String(Math.round(perMinute)) });
  expect(perMinute).toBeLessThan(100 * 1024);
});
