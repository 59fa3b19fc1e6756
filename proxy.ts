import { NextResponse, type NextRequest } from "next/server";
import { pagePathHeader } from "@/lib/auth/return-path";
import { AppError } from "@/lib/errors";
import { originHost } from "@/lib/net/origin";
import { apiSecurityHeaders, baseSecurityHeaders, newNonce, pageContentSecurityPolicy, servedOverHttps } from "@/lib/server/security-headers";

// Runs before every route Next.js serves: refuses requests no route could answer sanely, and sets the security
// headers, with a fresh CSP nonce per page (Next.js reads it from the request's CSP and puts it on its scripts).
export function proxy(request: NextRequest) {
  const https = servedOverHttps(request.url);
  const isApi = request.nextUrl.pathname.startsWith("/api/");
  const refusal = refuse(request);
  if (refusal)
    return withHeaders(
      NextResponse.json({ error: { code: refusal.code, message: refusal.message } }, { status: refusal.status }),
      apiSecurityHeaders({ https }),
    );
  if (isApi) return withHeaders(NextResponse.next(), apiSecurityHeaders({ https }));

  const nonce = newNonce();
  const csp = pageContentSecurityPolicy({ nonce, https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // The page asked for, so a page that sends an anonymous reader to sign in can ask to be returned to.
  requestHeaders.set(pagePathHeader, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), { ...baseSecurityHeaders({ https }), "Content-Security-Policy": csp });
}

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

const reads = new Set(["GET", "HEAD", "OPTIONS"]);

/** What is wrong with the request before any route sees it, or null. */
function refuse(request: NextRequest): AppError | null {
  // A path no route can decode (%ZZ, an overlong UTF-8 form such as %C0%AE) is the caller's mistake.
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return new AppError("bad_request", "the path holds a malformed percent-encoding");
  }
  if (reads.has(request.method)) return null;
  // The API reads JSON (and Auth.js its url-encoded forms). A multipart body sent to a path no API route answers
  // reached Next.js's form-action decoding and came back a 500.
  const multipart = /^\s*multipart\//i.test(request.headers.get("content-type") ?? "");
  if (multipart && request.nextUrl.pathname.startsWith("/api/")) return new AppError("unsupported_media_type", "the API reads JSON, not multipart bodies");
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  // A write from a page with an opaque origin ("null": a sandboxed frame, a file) or a malformed one comes from no dashboard page.
  const from = originHost(origin);
  if (!from) return new AppError("forbidden", "the Origin header names no page of the dashboard");
  // Server actions: refused here with a 403 rather than by Next.js with a 500.
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (request.headers.has("next-action") && host && from !== host) return new AppError("forbidden", "a server action must come from the dashboard itself");
  return null;
}

export const config = {
  // Static build output carries no page and needs no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
