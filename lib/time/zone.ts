import { isTimeZone, type TTimeZone } from "./format";

// The zone times are written in. The browser names its zone in a cookie on its first page, so the server's HTML
// is written in the same zone as the browser's renders after it; a reader who wants UTC says so in a second cookie.

export const zoneCookie = "meshdeck-tz";
export const utcCookie = "meshdeck-utc";
/** A year: the choice lasts as long as the browser keeps it. */
export const zoneCookieMaxAge = 365 * 24 * 3600;

/** UTC when asked for or when the browser's zone is not known (yet, or not by this runtime); the browser's zone otherwise. */
export function chooseTimeZone({ browserZone, utc }: { browserZone: string | undefined; utc: string | undefined }): TTimeZone {
  return utc === "1" || !browserZone || !isTimeZone(browserZone) ? "UTC" : browserZone;
}
