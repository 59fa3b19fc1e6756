// The status pages as a user gets them: the built app (`scripts/serve.sh`, as `npm start`) on the seeded database,
// signed in as an administrator, each page loaded in Chromium (Debian's, as playwright.config.ts launches it) from
// navigation start until its content is visible; and the overview's poll answered 304 when nothing changed.
import { chromium, type Page } from "playwright";
import { chromiumLaunch } from "../../e2e/support/chromium";
import { prepareApp, startSignedIn } from "../gateway/app";
import { stopChild } from "../shared/process";
import { percentile } from "../shared/report";

const warmups = 2;
const loads = 10;

export type TPageTiming = { name: string; path: string; p50: number; p95: number; max: number; serverP50: number; kb: number; wireKb: number };
export type TPollFigure = { url: string; fullBytes: number; fullMs: number; notModifiedStatus: number; notModifiedBytes: number; notModifiedMs: number };

type TPage = { name: string; path: string; visible: (page: Page) => ReturnType<Page["locator"]> };

export function statusPages(largestService: string): TPage[] {
  const serviceRow = (page: Page) => page.locator("tbody tr[data-service]").first();
  return [
    { name: "overview", path: "/", visible: (page) => page.getByRole("list", { name: "Services by status" }).locator("[data-service]").first() },
    { name: "services list (default, 50)", path: "/services", visible: serviceRow },
    { name: "services list sorted by p99", path: "/services?sort=p99", visible: serviceRow },
    { name: "services list, page 15", path: "/services?page=15", visible: serviceRow },
    {
      name: "events (incidents)",
      path: "/events",
      visible: (page) => page.getByTestId("incident").first().or(page.getByText("No incident yet.")),
    },
    {
      name: `service page (${largestService})`,
      path: `/services/${largestService}`,
      visible: (page) => page.locator('tr[data-testid^="instance-"]').first(),
    },
  ];
}

/** One load: milliseconds from navigation start to the content shown, the server's share (to the response's first byte), and bytes. */
async function load(page: Page, baseUrl: string, { path, visible }: TPage) {
  await page.goto(`${baseUrl}${path}`, { waitUntil: "commit" });
  await visible(page).waitFor({ state: "visible", timeout: 30_000 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    // The HTML carries the page's RSC payload inline: its size is the page's, scripts aside (cached after the first).
    return { ms: performance.now(), serverMs: nav.responseStart - nav.requestStart, bytes: nav.decodedBodySize, wireBytes: nav.encodedBodySize };
  });
}

/** The overview's poll (GET /api/v1/overview) twice: the full answer, then If-None-Match with its ETag. */
async function pollFigures(page: Page, baseUrl: string): Promise<TPollFigure> {
  const url = `${baseUrl}/api/v1/overview`;
  let started = performance.now();
  const full = await page.request.get(url);
  const fullMs = performance.now() - started;
  const fullBytes = (await full.body()).length;
  const etag = full.headers().etag ?? "";
  started = performance.now();
  const again = await page.request.get(url, { headers: { "if-none-match": etag } });
  const notModifiedMs = performance.now() - started;
  return { url: "/api/v1/overview", fullBytes, fullMs, notModifiedStatus: again.status(), notModifiedBytes: (await again.body()).length, notModifiedMs };
}

/** Builds HEAD (once per state of its sources), starts it on the seeded database and times the pages. */
export async function timeStatusPages({
  root,
  runDir,
  largestService,
  log,
}: {
  root: string;
  runDir: string;
  largestService: string;
  log: (line: string) => void;
}) {
  const app = prepareApp({ root, logFile: `${runDir}/build.log`, log });
  log(app.built ? `built ${app.commit.slice(0, 12)} in ${app.buildSeconds!.toFixed(0)} s` : `${app.commit.slice(0, 12)} is built already in ${app.dir}`);
  // The collector off: the seeded instances answer no checks, and the status rows were written by the benchmark.
  const { meshdeck, target } = await startSignedIn({
    dir: app.dir,
    runDir,
    tokenName: "bench-status",
    env: { MESHDECK_COLLECTOR: "off", MESHDECK_LOG_LEVEL: "warn" },
  });
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // Signed in through the login form, as a person is.
    await page.goto(`${meshdeck.baseUrl}/login`);
    await page.getByLabel("Email").fill(target.admin.email);
    await page.getByLabel("Password").fill(target.admin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    const timings: TPageTiming[] = [];
    for (const each of statusPages(largestService)) {
      const runs: Awaited<ReturnType<typeof load>>[] = [];
      for (let i = 0; i < warmups + loads; i += 1) {
        const run = await load(page, meshdeck.baseUrl, each);
        if (i >= warmups) runs.push(run);
      }
      const ms = runs.map((run) => run.ms);
      const timing = {
        name: each.name,
        path: each.path,
        p50: percentile(ms, 50)!,
        p95: percentile(ms, 95)!,
        max: Math.max(...ms),
        serverP50: percentile(
          runs.map((run) => run.serverMs),
          50,
        )!,
        kb: runs.at(-1)!.bytes / 1024,
        wireKb: runs.at(-1)!.wireBytes / 1024,
      };
      timings.push(timing);
      log(
        `${each.name}: p50 ${timing.p50.toFixed(0)} ms, p95 ${timing.p95.toFixed(0)} ms, server p50 ${timing.serverP50.toFixed(0)} ms, ${timing.kb.toFixed(1)} KB`,
      );
    }
    return { timings, poll: await pollFigures(page, meshdeck.baseUrl), commit: app.commit, dirty: app.dirty };
  } finally {
    await browser.close();
    await stopChild(meshdeck.child, "meshdeck", log, { group: true });
  }
}
