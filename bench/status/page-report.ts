// The page timings' part of the status section in docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { markdownTable, renderTargetList, type machine } from "../shared/report";
import type { TPageTiming, TPollFigure } from "./page-timings";

// Issue 17: each page visible under 1 s (p95) at the design size.
const targetMs = 1000;

function chromiumVersion(): string {
  try {
    return execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return "Chromium (version unknown)";
  }
}

export function renderPageTimings({
  timings,
  poll,
  commit,
  dirty,
  host,
}: {
  timings: TPageTiming[];
  poll: TPollFigure;
  commit: string;
  dirty: string[];
  host: ReturnType<typeof machine>;
}): string[] {
  const ms = (value: number) => value.toFixed(0);
  return [
    `### Pages in Chromium at that size (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)`,
    "",
    `- Machine: ${host.nproc} CPUs, ${host.model}, ${host.memoryGiB.toFixed(0)} GiB, Linux ${host.kernel}, ${chromiumVersion()} headless with \`--disable-gpu\` (as playwright.config.ts). Commit ${commit.slice(0, 12)}${dirty.length ? ` (uncommitted changes not measured: ${dirty.length} files)` : ""}, built by the benchmark (bench/gateway/app.ts) and served by \`scripts/serve.sh\` on the seeded SQLite file, collector off (the status rows above are the benchmark's).`,
    "- Command: `npm run bench:status` (the page part: bench/status/page-timings.ts).",
    "- Each page: signed in as an administrator through the login form, loaded 10 times after 2 warm-ups (a full navigation each, scripts cached); the time is from navigation start to its content visible (the first row of its list, or the events page's empty state). Server is navigation's request start to the first byte. HTML is the document's size, which carries the page's RSC payload inline.",
    "",
    markdownTable(
      ["Page", "URL", "p50 ms", "p95 ms", "max ms", "server p50 ms", "HTML KB", "on the wire KB"],
      timings.map((t) => [t.name, `\`${t.path}\``, ms(t.p50), ms(t.p95), ms(t.max), ms(t.serverP50), t.kb.toFixed(1), t.wireKb.toFixed(1)]),
    ),
    "",
    `- The overview's poll, \`GET ${poll.url}\`: ${(poll.fullBytes / 1024).toFixed(1)} KB in ${ms(poll.fullMs)} ms; asked again with its ETag: ${poll.notModifiedStatus}, ${poll.notModifiedBytes} bytes in ${ms(poll.notModifiedMs)} ms.`,
    renderTargetList(timings.map((t) => ({ name: `${t.name} visible under ${targetMs} ms (p95)`, value: `${ms(t.p95)} ms`, met: t.p95 < targetMs }))),
    "",
  ];
}
