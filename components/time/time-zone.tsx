"use client";

import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { formatTime, type TTimeZone } from "@/lib/time/format";
import { chooseTimeZone, utcCookie, zoneCookie, zoneCookieMaxAge } from "@/lib/time/zone";

// The zone the server wrote its HTML in, and whether UTC was chosen (from the cookies): hydration renders with them,
// so the two never differ.
const ServerZone = createContext<{ zone: TTimeZone; utc: boolean; saveUtc?: TSaveUtc }>({ zone: "UTC", utc: false });

/** Keeps a signed-in user's choice on the server (a server action), so their other browsers follow it. */
export type TSaveUtc = (input: { utc: boolean }) => Promise<unknown>;

const listeners = new Set<() => void>();

function readCookie(name: string): string | undefined {
  const found = document.cookie.split("; ").find((entry) => entry.startsWith(`${name}=`));
  return found === undefined ? undefined : decodeURIComponent(found.slice(name.length + 1));
}

function writeCookie(name: string, value: string) {
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${zoneCookieMaxAge}; samesite=lax`;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const clientZone = () => chooseTimeZone({ browserZone: browserZone(), utc: readCookie(utcCookie) });
const clientUtc = () => readCookie(utcCookie) === "1";

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function TimeZoneProvider({ zone, utc, saveUtc, children }: { zone: TTimeZone; utc: boolean; saveUtc?: TSaveUtc; children: ReactNode }) {
  // The first page a browser opens is written in UTC; naming its zone now makes the server write every later one in it.
  useEffect(() => {
    if (readCookie(zoneCookie) !== browserZone()) writeCookie(zoneCookie, browserZone());
  }, []);
  // A signed-in user's stored choice wins over what this browser last kept (it was made in another browser).
  useEffect(() => {
    if (!saveUtc || clientUtc() === utc) return;
    writeCookie(utcCookie, utc ? "1" : "0");
    listeners.forEach((notify) => notify());
  }, [saveUtc, utc]);
  const server = useMemo(() => ({ zone, utc, saveUtc }), [zone, utc, saveUtc]);
  return <ServerZone value={server}>{children}</ServerZone>;
}

/** The zone to write times in: the server's while hydrating, then the browser's own (or UTC when chosen). */
export function useTimeZone(): TTimeZone {
  const { zone } = useContext(ServerZone);
  return useSyncExternalStore(subscribe, clientZone, () => zone);
}

/** `formatTime` in the reader's zone. */
export function useFormatTime(): (at: number | string | Date) => string {
  const zone = useTimeZone();
  return (at) => formatTime(at, zone);
}

/** An absolute time, written the one way, in the reader's zone. */
export function LocalTime({ at, className }: { at: number | string; className?: string }) {
  const format = useFormatTime();
  const ms = typeof at === "number" ? at : Date.parse(at);
  return (
    <time dateTime={Number.isFinite(ms) ? new Date(ms).toISOString() : undefined} className={className ?? "tabular-nums"}>
      {format(ms)}
    </time>
  );
}

/** Times in UTC or in the browser's zone: one switch, kept for the user (and in a cookie the server reads). */
export function ZoneSwitch() {
  const zone = useTimeZone();
  const server = useContext(ServerZone);
  const utc = useSyncExternalStore(subscribe, clientUtc, () => server.utc);
  return (
    <button
      type="button"
      aria-pressed={utc}
      title={utc ? "Times are in UTC; show them in this browser's zone" : `Times are in ${zone}; show them in UTC`}
      onClick={() => {
        writeCookie(utcCookie, utc ? "0" : "1");
        listeners.forEach((notify) => notify());
        void server.saveUtc?.({ utc: !utc });
      }}
      className="rounded-md border border-zinc-200 px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
    >
      UTC
    </button>
  );
}
