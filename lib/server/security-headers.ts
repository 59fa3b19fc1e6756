// The security headers of every answer, in one place: proxy.ts sets them on what Next.js serves, and routes served
// beside Next.js (lib/server/beside-next.ts) take `apiSecurityHeaders` for theirs. Pure: no request state kept.

const isDev = process.env.NODE_ENV === "development";

/** A fresh CSP nonce: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy of a page: scripts only from this origin with the request's nonce ('strict-dynamic' lets Next's own
 * loader add its chunks); styles inline too (React Flow, recharts and CodeMirror set style attributes and sheets);
 * never framed. React needs eval only in development, for its error stacks.
 */
export function pageContentSecurityPolicy({ nonce, https }: { nonce: string; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** An API answer is data, never a document: it loads nothing and is framed nowhere. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS only where the browser came over https: on plain http it would be ignored, or lock out a loopback install. */
const hsts = "max-age=63072000; includeSubDomains";

/** The headers every answer carries besides its CSP. */
export function baseSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    // For browsers older than CSP's frame-ancestors.
    "X-Frame-Options": "DENY",
    ...(https ? { "Strict-Transport-Security": hsts } : {}),
  };
}

/** The headers of a JSON answer (API routes, including those served beside Next.js). */
export function apiSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return { ...baseSecurityHeaders({ https }), "Content-Security-Policy": apiContentSecurityPolicy };
}

/**
 * Whether the browser reached the app over https: the request's own scheme, or AUTH_URL's when the app is
 * published behind a TLS-terminating proxy. X-Forwarded-Proto is not trusted: anyone can send it.
 */
export function servedOverHttps(requestUrl: string, authUrl = process.env.AUTH_URL): boolean {
  return requestUrl.startsWith("https:") || Boolean(authUrl?.startsWith("https:"));
}
