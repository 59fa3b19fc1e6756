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
