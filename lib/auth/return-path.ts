// Where sign-in sends the reader back to: a path of this site only. Anything else (another origin, "//evil.example",
// "/\evil.example", a scheme, control characters) is an open redirect and becomes "/".

const maxLength = 2048;
const base = "http://meshdeck.invalid";

export const returnParam = "callbackUrl";
/** The request header proxy.ts sets to the page's path and query: a server component cannot read its own URL. */
export const pagePathHeader = "x-meshdeck-page";

export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) return "/";
  // Browsers read a backslash as a slash and drop tabs and newlines: "/\evil" and "/\t/evil" lead off-site.
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || [...value].some((char) => char < " " || char === "\u007f")) return "/";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  // Back to the sign-in pages would loop; the API answers machines, not readers.
  if (/^\/(login|setup|api)(\/|$)/.test(url.pathname)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address that returns to `path` once signed in. */
export function loginHref(path: string): string {
  const back = safeReturnPath(path);
  return back === "/" ? "/login" : `/login?${returnParam}=${encodeURIComponent(back)}`;
}
