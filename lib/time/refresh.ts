// How often live pages poll, as the URL's ?refresh= says: "off" pauses, a choice sets the interval, anything else
// (or nothing) keeps the page's own.

export const refreshChoices = { off: null, "1s": 1000, "5s": 5000, "10s": 10_000, "30s": 30_000, "1m": 60_000 } as const;
export type TRefreshChoice = keyof typeof refreshChoices;
export const refreshChoiceNames = Object.keys(refreshChoices) as TRefreshChoice[];

export function readRefreshChoice(value: string | null | undefined): TRefreshChoice | null {
  return refreshChoiceNames.find((name) => name === value) ?? null;
}

/** The interval to poll at, in ms; null when paused. A page that is not live (Infinity) stays so. */
export function refreshInterval({ choice, pageMs }: { choice: TRefreshChoice | null; pageMs: number }): number | null {
  if (!Number.isFinite(pageMs) || choice === null) return pageMs;
  return refreshChoices[choice];
}
