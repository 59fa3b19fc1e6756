import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";

// Next.js hands route handlers a URL on localhost, and Auth.js builds the OIDC redirect URI and its own redirects
// from it: use the address the browser asked for instead, as Auth.js's server-side signIn() does (trustHost).
// With AUTH_URL set, next-auth puts that in its place.
function asAskedFor(request: NextRequest): NextRequest {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host || process.env.AUTH_URL) return request;
  const protocol = request.headers.get("x-forwarded-proto")?.replace(/:$/, "") ?? request.nextUrl.protocol.replace(/:$/, "");
  const { href, origin } = request.nextUrl;
  try {
    return new NextRequest(href.replace(origin, new URL(`${protocol}://${host}`).origin), request);
  } catch {
    return request; // a Host that is no host: Auth.js answers as it would have
  }
}

export const GET = (request: NextRequest) => handlers.GET(asAskedFor(request));
export const POST = (request: NextRequest) => handlers.POST(asAskedFor(request));
