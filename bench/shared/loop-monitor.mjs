// Preloaded into the collector by a benchmark (`node --import ./bench/shared/loop-monitor.mjs`):
// once a second, appends that second's event-loop delay (p50, max, ms) and process.memoryUsage() (MB)
// to BENCH_LOOP_FILE. A late
// timer is a late probe and a late timeout, so this tells how far the collector's own load skews
// what it measures. Costs one 20 ms-resolution timer; the collector's code is untouched.
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  setInterval(() => {
    const memory = Object.fromEntries(Object.entries(process.memoryUsage()).map(([key, bytes]) => [key, Math.round(bytes / 2 ** 20)]));
    const line = { at: Date.now(), p50: histogram.percentile(50) / 1e6, max: histogram.max / 1e6, memory };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
