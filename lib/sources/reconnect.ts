// An adapter that lost its source tries again after 250 ms, doubling to 5 s: back within a second of a blip,
// never hammering a source that is down.
const maxBackoffMs = 5000;

export function reconnectDelayMs(failures: number): number {
  return Math.min(maxBackoffMs, 250 * 2 ** Math.max(0, failures - 1));
}
