import type { CDPSession } from "@playwright/test";
import { expect, test } from "../support/fixtures";

/** What the page's API calls download (headers included, as the network counts them) over `ms`, per minute. */
async function apiBytesPerMinute(cdp: CDPSession, wait: (ms: number) => Promise<void>, ms: number) {
  const urls = new Map<string, string>();
  let bytes = 0;
  let requests = 0;
  const sent = (event: { requestId: string; request: { url: string } }) => urls.set(event.requestId, event.request.url);
  const finished = (event: { requestId: string; encodedDataLength: number }) => {
    if (!urls.get(event.requestId)?.includes("/api/")) return;
    bytes += event.encodedDataLength;
    requests += 1;
  };
  cdp.on("Network.requestWillBeSent", sent);
  cdp.on("Network.loadingFinished", finished);
  await wait(ms);
  cdp.off("Network.requestWillBeSent", sent);
  cdp.off("Network.loadingFinished", finished);
  return { perMinute: Math.round((bytes * 60_000) / ms), perRequest: Math.round(bytes / Math.max(1, requests)), requests };
}

// The overview left open at the demo size: every poll a whole answer (the browser's cache off, as before answers were
// tagged), then as the browser polls now, revalidating its cached answers with If-None-Match.
test("the open overview downloads under 100 KB a minute", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const wait = (ms: number) => page.waitForTimeout(ms);
  const window = 30_000;

  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const whole = await apiBytesPerMinute(cdp, wait, window);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  await wait(3_000);
  const tagged = await apiBytesPerMinute(cdp, wait, window);
  const report = (name: string, { perMinute, perRequest, requests }: typeof whole) =>
    `${name}: ${(perMinute / 1024).toFixed(1)} KB/min (${requests} requests in ${window / 1000} s, ${perRequest} B each)`;
  console.log(`overview polls\n  ${report("whole answers", whole)}\n  ${report("tagged answers", tagged)}`);
  // A revalidated answer reaches the page as the cached 200, so the 304s show as answers a quarter the size or less.
  expect(tagged.perRequest).toBeLessThan(whole.perRequest / 2);
  expect(tagged.perMinute).toBeLessThan(100 * 1024);
});
