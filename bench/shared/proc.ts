// CPU time and memory of a process and its descendants, read from /proc the way top and ps do.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

type TStat = { pid: number; ppid: number; cpuTicks: number };

function readStat(pid: number): TStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // Fields from 3 on: state(3) ppid(4) ... utime(14) stime(15); index = field - 3.
    return { pid, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The pid and every live descendant (a tsx or esbuild helper counts against the process that started it). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export type TUsage = { at: number; cpuSeconds: number; rssBytes: number; mainRssBytes: number };

/** Cumulative CPU seconds (user + system) and current RSS of a process tree. */
export function readUsage(root: number): TUsage {
  let ticks = 0;
  let rss = 0;
  for (const pid of processTree(root)) {
    ticks += readStat(pid)?.cpuTicks ?? 0;
    rss += rssBytes(pid);
  }
  return { at: Date.now(), cpuSeconds: ticks / ticksPerSecond, rssBytes: rss, mainRssBytes: rssBytes(root) };
}

/** Samples a process tree every second, so a window's CPU % and peak RSS can be read afterwards. */
export class UsageSampler {
  readonly samples: TUsage[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  sample(): TUsage {
    const usage = readUsage(this.pid);
    this.samples.push(usage);
    return usage;
  }

  stop() {
    clearInterval(this.timer);
  }

  /** CPU % of one core between two moments (100 = one core busy), peak and mean RSS in between. */
  window(from: number, to: number) {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside.at(-1);
    if (!first || !last || last.at <= first.at) return null;
    const cpuPercent = ((last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000)) * 100;
    const peakRss = Math.max(...inside.map((s) => s.rssBytes));
    const meanRss = inside.reduce((sum, s) => sum + s.rssBytes, 0) / inside.length;
    const peakMainRss = Math.max(...inside.map((s) => s.mainRssBytes));
    return { cpuPercent, peakRss, meanRss, peakMainRss, seconds: (last.at - first.at) / 1000 };
  }
}

/** Busy CPU of the whole machine (all cores, as % of one core) from /proc/stat, to see who else was running. */
export function readMachineBusySeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = fields.reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  return busy / ticksPerSecond;
}
