import { formatClock, formatDay, zoneOffsetMs, type TTimeZone } from "./format";

// A chart's time axis in the reader's zone.

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
