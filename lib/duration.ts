import { z } from "zod";

const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "800ms", "1s", "1.5s", "2m", "1h", "7d" or a number of milliseconds; null when it is none of these. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  const [, amount, unit] = match ?? [];
  if (!amount || !unit) return null;
  return Math.round(Number(amount) * units[unit as keyof typeof units]);
}

/** A duration field in milliseconds, accepting the forms parseDuration reads. */
export const ZDuration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: 'must be a duration such as "800ms", "1s" or a number of milliseconds' });
    return z.NEVER;
  }
  return ms;
});

/**
 * "450 ms", "1.5 s", "42 s", "2 min 5 s", "2 h 1 min", "1 d 1 h". Rounded once, to the smallest unit shown, before it
 * is split: 59.6 s reads "1 min 0 s", never "1 min 60 s". Negative and non-finite durations read "0 ms".
 */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (Math.round(value) < 1000) return `${Math.round(value)} ms`;
  if (Math.round(value / 100) < 100) return `${(Math.round(value / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(value / 60_000);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(value / 3_600_000);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
