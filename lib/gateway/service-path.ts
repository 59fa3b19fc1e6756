/** A request path split into the service it names and the path its instances see. */
export type TServicePath = { service: string; path: string };

const slash = 47;
const question = 63;

/**
 * `/orders/api/x?y=1` is `orders` and `/api/x?y=1`; `/orders` and `/orders?y=1` are `/` and `/?y=1`. Anything that is
 * not an origin-form path with a first segment (`*`, `http://...`, `/`, `//x`) is undefined.
 */
export function splitServicePath(url: string | undefined): TServicePath | undefined {
  if (url === undefined || url.charCodeAt(0) !== slash) return undefined;
  let end = 1;
  while (end < url.length) {
    const code = url.charCodeAt(end);
    if (code === slash || code === question) break;
    end++;
  }
  if (end === 1) return undefined;
  const rest = url.slice(end);
  return { service: url.slice(1, end), path: rest === "" ? "/" : rest.charCodeAt(0) === question ? `/${rest}` : rest };
}
