// Every absolute time the console shows goes through here: one format, in one zone, with the zone written out.

/** An IANA zone name ("Asia/Tokyo") or "UTC". */
export type TTimeZone = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: TTimeZone): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(zone, found);
  }
  return found;
}

/** True when the runtime knows `zone`: a zone read from a cookie is the client's word, not to be trusted. */
export function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

type TParts = { year: string; month: string; day: string; weekday: string; hour: string; minute: string; second: string; zone: string };

function partsOf(at: number, zone: TTimeZone): TParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    weekday: parts.weekday ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
    // en-US writes zones without a name of their own as "GMT+9"; UTC is the word the rest of the console uses.
    zone: (parts.timeZoneName ?? zone).replace(/^GMT(?=[+-]|$)/, "UTC"),
  };
}

function toMs(at: number | string | Date): number {
  return at instanceof Date ? at.getTime() : typeof at === "string" ? Date.parse(at) : at;
}

/** "2026-12-07 09:41:03 UTC+9": the one way an absolute time is written; "—" for a time that is none. */
export function formatTime(at: number | string | Date, zone: TTimeZone): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return "—";
  const p = partsOf(ms, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.zone}`;
}

/** "09:41" or "09:41:03", for chart axes whose zone is written once beside them. */
export function formatClock(at: number, zone: TTimeZone, { seconds = false }: { seconds?: boolean } = {}): string {
  const p = partsOf(at, zone);
  return seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** "Mon 07", for axes spanning days. */
export function formatDay(at: number, zone: TTimeZone): string {
  const p = partsOf(at, zone);
  return `${p.weekday} ${p.day}`;
}

/** The zone's short name at `at` ("UTC+9", "EST", "UTC"), to label an axis or a picker. */
export function zoneName(at: number, zone: TTimeZone): string {
  return partsOf(at, zone).zone;
}

/** How far `zone`'s wall clock is ahead of UTC at `at`, in ms. */
export function zoneOffsetMs(at: number, zone: TTimeZone): number {
  const p = partsOf(at, zone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The value of an <input type="datetime-local"> showing `at` in `zone` ("2026-12-07T09:41"). */
export function toZoneInput(at: number, zone: TTimeZone): string {
  const p = partsOf(at, zone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The moment a datetime-local value names in `zone`; null when it names none. */
export function fromZoneInput(value: string, zone: TTimeZone): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, Number.isNaN(second) ? 0 : (second ?? 0));
  // Date.UTC rolls 13/45 over into the next year: a value that does not come back as written names no moment.
  if (!Number.isFinite(wall) || new Date(wall).toISOString().slice(0, 16) !== value.slice(0, 16)) return null;
  // The offset at the wall time, then at the moment it gives: right on both sides of a daylight-saving change.
  const guess = wall - zoneOffsetMs(wall, zone);
  return wall - zoneOffsetMs(guess, zone);
}
