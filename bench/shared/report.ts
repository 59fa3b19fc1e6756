// What every benchmark section in docs/benchmarks.md needs: the machine it ran on, percentiles, and the doc itself.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";

/** Nearest-rank percentile (with 50 samples, p99 is the slowest one). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  let nproc = availableParallelism();
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    // availableParallelism is the same figure where nproc is missing.
  }
  return { nproc, model, memoryGiB: totalmem() / 2 ** 30, kernel: release(), node: process.version };
}

const head = "# Benchmarks\n\nMeasured figures, newest last. Each section names the machine and the exact command; rerun it to compare.\n";

export function appendToDoc(file: string, section: string) {
  const before = existsSync(file) ? readFileSync(file, "utf8") : head;
  writeFileSync(file, `${before.replace(/\n*$/, "\n")}\n${section}`);
}

/** Puts the section in place of the one whose heading starts with `heading` (up to the next "## "), or appends it. */
export function replaceInDoc(file: string, heading: string, section: string) {
  const before = existsSync(file) ? readFileSync(file, "utf8") : head;
  const start = before.split("\n").findIndex((line) => line.startsWith(heading));
  if (start === -1) return appendToDoc(file, section);
  const lines = before.split("\n");
  const next = lines.findIndex((line, i) => i > start && line.startsWith("## "));
  const after = next === -1 ? "" : `\n${lines.slice(next).join("\n")}`;
  writeFileSync(file, `${lines.slice(0, start).join("\n")}\n${section.replace(/\n*$/, "\n")}${after}`);
}

/** A Markdown table of Meshdeck against its peer: a header row, then one row per figure. */
export function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** The targets a benchmark checks, one line each, MET or MISSED. */
export function renderTargetList(targets: { name: string; value: string; met: boolean }[]): string {
  return targets.map((t) => `- ${t.met ? "MET" : "MISSED"}: ${t.name}: ${t.value}`).join("\n");
}
