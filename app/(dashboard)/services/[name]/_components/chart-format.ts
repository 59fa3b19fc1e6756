import { formatClock, formatDay, zoneOffsetMs, type TTimeZone } from "@/lib/time/format";

// Units an operator reads at a glance: "1.2k/s", "0.25%", "85 ms", "1.4 s".

function trim(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, "$1");
}

export function formatRate(rps: number): string {
  if (rps >= 1000) return `${trim(rps / 1000, rps >= 10_000 ? 0 : 1)}k/s`;
  if (rps >= 10) return `${Math.round(rps)}/s`;
  return `${trim(rps, rps >= 1 ? 1 : 2)}/s`;
}

/** A share (0..1) as a percentage; small shares keep two decimals so 0.04% does not read as 0%. */
export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent === 0) return "0%";
  if (percent < 1) return `${trim(percent, 2)}%`;
  return `${trim(percent, percent < 10 ? 1 : 0)}%`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${trim(ms / 1000, ms >= 10_000 ? 0 : 2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${trim(ms, 1)} ms`;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const spacings = [minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day];
const maxTicks = 8;

/** Time-axis ticks on round times of the reader's zone (whole hours, midnights), at most eight, the same on every chart. */
export function timeTicks({ from, to, zone }: { from: number; to: number; zone: TTimeZone }): number[] {
  const spacing = spacings.find((each) => (to - from) / each <= maxTicks) ?? 7 * day;
  const offset = zoneOffsetMs(from, zone);
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / spacing) * spacing - offset; t <= to; t += spacing) ticks.push(t);
  return ticks;
}

/** An axis label: the clock, or the day for ranges over two days. */
export function formatTick({ from, to }: { from: number; to: number }, t: number, zone: TTimeZone): string {
  return to - from > 2 * day ? formatDay(t, zone) : formatClock(t, zone);
}

/** "20 s", "5 min", "1 h": the length of one point. */
export function formatStepSize(ms: number): string {
  if (ms < minute) return `${ms / 1000} s`;
  if (ms < hour) return `${ms / minute} min`;
  return `${ms / hour} h`;
}

/** Ticks 0, half and top, the top rounded up to 1, 2, 2.5 or 5 times a power of ten, so the labels read cleanly. */
export function valueTicks(max: number): number[] {
  if (!(max > 0)) return [0];
  const power = 10 ** Math.floor(Math.log10(max));
  const top = ([1, 2, 2.5, 5, 10].find((step) => step * power >= max) ?? 10) * power;
  return [0, top / 2, top];
}
