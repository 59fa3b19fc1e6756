// Each step of the topology's time slider is a 360th of the console's range, in whole 10 s.
export function rangeStepMs(spanMs: number): number {
  return Math.max(10_000, Math.round(spanMs / 360 / 10_000) * 10_000);
}
