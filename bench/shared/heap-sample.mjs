// Preloaded (`node --import`) into an app by bench:registry --heap-sample: each SIGUSR2 starts, then stops, V8's
// sampling heap profiler counting the objects GC already collected too, so it shows where the garbage is made, not only
// what is still held. On stop it writes HEAP.<pid>.<n>.heapprofile (Chrome DevTools' format) and a text summary
// beside it in MESHDECK_BENCH_HEAP_DIR: bytes allocated per function (self) and per module.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.MESHDECK_BENCH_HEAP_DIR;
// MESHDECK_BENCH_HEAP_SURVIVORS=1: objects a scavenge collected are left out, so the profile shows what outlived the
// young generation (what is still held, and the garbage that waits in the old generation for a full GC).
const survivors = process.env.MESHDECK_BENCH_HEAP_SURVIVORS === "1";
const session = new Session();
session.connect();
let sampling = false;
let taken = 0;
let startedAt = 0;

process.on("SIGUSR2", () => {
  if (!sampling) {
    sampling = true;
    startedAt = Date.now();
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 16384,
      includeObjectsCollectedByMinorGC: !survivors,
      includeObjectsCollectedByMajorGC: true,
    });
    return;
  }
  sampling = false;
  session.post("HeapProfiler.stopSampling", (error, result) => {
    if (error || !dir) return;
    taken += 1;
    const file = join(dir, `HEAP.${process.pid}.${taken}.heapprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    writeFileSync(`${file}.txt`, summary(result.profile, (Date.now() - startedAt) / 1000));
  });
});

function summary(profile, seconds) {
  const byFunction = new Map();
  const byModule = new Map();
  const byPath = new Map();
  let total = 0;
  // A native frame (no source) is named with the nearest caller that has one.
  const walk = (node, caller = "", path = []) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const own = url ? `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^.*\/\.next\//, ".next/")}:${lineNumber + 1}` : "";
    const name = own || `${functionName || "(native)"} in ${caller}`;
    if (node.selfSize > 0) {
      total += node.selfSize;
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
      const module = url.includes("node_modules/")
        ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, "$1")
        : url.replace(/^.*\/\.next\//, ".next/").replace(/^node:(internal\/)?([^/]+).*$/, "node:$2") || "(native)";
      byModule.set(module, (byModule.get(module) ?? 0) + node.selfSize);
      const where = [name, ...path.slice(-3).reverse()].join(" < ");
      byPath.set(where, (byPath.get(where) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, own || caller, own ? [...path, own] : path);
  };
  walk(profile.head);
  const lines = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([name, bytes]) => `${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${(bytes / 1e6 / seconds).toFixed(2).padStart(7)} MB/s  ${name}`)
      .join("\n");
  return `${survivors ? "Outlived a scavenge" : "Allocated"} ${(total / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (sampled).\n\nBy module:\n${lines(byModule)}\n\nBy function (self):\n${lines(byFunction)}\n\nBy function and its 3 callers:\n${lines(byPath)}\n`;
}
