// Health history as coloured bands. Pure: runs on the server and in tests, types used by the browser.

/** Changes loaded per instance and range: a 30 d timeline of a flapping instance stays bounded. */
export const timelineEventCap = 1000;

/** `none`: not registered (before its first event, or after it was deregistered). */
export type TBandState = "passing" | "warning" | "critical" | "unknown" | "none";
export type TBand = { state: TBandState; from: number; to: number };
export type TTimelineEvent = { at: number; to: string };

// A health event's `to` as a band; "flapping" marks a state, it is not one, so it changes nothing.
function toBandState(to: string, current: TBandState): TBandState {
  if (to === "passing" || to === "warning" || to === "critical" || to === "unknown") return to;
  if (to === "deregistered") return "none";
  if (to === "flapping") return current;
  return "unknown";
}

/**
 * Bands over [from, to]: `before` is the state at `from` (the `to` of the last event before the
 * range; null when there was none), `events` the changes inside the range in any order.
 */
export function buildBands({ before, events, from, to }: { before: string | null; events: TTimelineEvent[]; from: number; to: number }): TBand[] {
  if (to <= from) return [];
  const bands: TBand[] = [];
  let state: TBandState = before === null ? "none" : toBandState(before, "none");
  let start = from;
  const inRange = events.filter((event) => event.at > from && event.at < to).sort((a, b) => a.at - b.at);
  for (const event of inRange) {
    const next = toBandState(event.to, state);
    if (next === state) continue;
    if (event.at > start) bands.push({ state, from: start, to: event.at });
    state = next;
    start = event.at;
  }
  bands.push({ state, from: start, to });
  return bands;
}

/**
 * Share of the checked time that the instance could take traffic (passing or warning); time not
 * registered, or not yet checked (unknown), counts neither way. Null when there is none.
 */
export function computeUptime(bands: TBand[]): number | null {
  let registered = 0;
  let up = 0;
  for (const band of bands) {
    if (band.state === "none" || band.state === "unknown") continue;
    const length = band.to - band.from;
    registered += length;
    if (band.state === "passing" || band.state === "warning") up += length;
  }
  return registered > 0 ? up / registered : null;
}

/** "99.95%": never rounds up to 100% while there was any downtime. */
export function formatUptime(uptime: number | null): string {
  if (uptime === null) return "n/a";
  const percent = Math.floor(uptime * 10_000) / 100;
  return `${percent.toFixed(percent === 100 ? 0 : 2)}%`;
}
