import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";

// Next.js writes a loopback host as "localhost" in a route's request URL, and Auth.js builds the OIDC redirect URI
// and its own redirects from it: hand Auth.js a plain Request for the address the browser asked for, as its
// server-side signIn() does (trustHost). With AUTH_URL set, next-auth puts that in its place itself.
async function asAskedFor(request: NextRequest): Promise<Request> {
  // Host only: X-Forwarded-* can be forged by any client; behind a proxy AUTH_URL names the public address.
  const host = request.headers.get("host");
  if (!host || process.env.AUTH_URL) return request;
  const protocol = request.nextUrl.protocol.replace(/:$/, "");
  let url: URL;
  try {
    url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, `${protocol}://${host}`);
  } catch {
    return request; // a Host that is no host: Auth.js answers as it would have
  }
  const body = request.method === "POST" ? await request.arrayBuffer() : undefined;
  return new Request(url, { method: request.method, headers: request.headers, body });
}

// next-auth's handlers read `nextUrl` only when AUTH_URL is set, and then they get the NextRequest itself.
export const GET = async (request: NextRequest) => handlers.GET((await asAskedFor(request)) as NextRequest);
export const POST = async (request: NextRequest) => handlers.POST((await asAskedFor(request)) as NextRequest);
