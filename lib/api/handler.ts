import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { TActor } from "@/lib/auth/actor";
import type { TPermission } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { answerConditionally } from "./conditional-get";
import { answerEndpoint, checkedPathParams, type TApiRequest, type TEndpoint } from "./endpoint";
import { assertJsonHeaders, authenticate, errorBody, maxBodyBytes, parseJsonBody, readCappedText, toAppError } from "./gate";

// Next.js's side of the API gate (lib/api/gate.ts): app routes, their requests and responses.

/** Reads a JSON body as it streams, capped in size (64 KiB unless said otherwise): reading stops at the cap. */
export async function readJson(request: NextRequest, { maxBytes = maxBodyBytes }: { maxBytes?: number } = {}): Promise<unknown> {
  assertJsonHeaders({ contentType: request.headers.get("content-type"), contentLength: request.headers.get("content-length") }, maxBytes);
  return parseJsonBody(await readCappedText(request.body, maxBytes), maxBytes);
}

function callerOf(request: NextRequest) {
  return { method: request.method, header: (name: string) => request.headers.get(name), session: getCurrentUser };
}

type TContext<P> = { request: NextRequest; params: P; actor: TActor };
type TParamsOf<C> = C extends { params: Promise<infer P> } ? P : never;

/**
 * Wraps an API route: checks the caller may do `permission` and the path's parameters (lib/api/endpoint.ts), runs
 * `fn`, and turns errors into `{ error: { code, message } }`.
 * `C` is the route's context as Next types it: `RouteContext<"/api/v1/services/[name]">`.
 */
export function apiRoute<C extends { params: Promise<object> } = { params: Promise<object> }>(
  { permission }: { permission: TPermission },
  fn: (context: TContext<TParamsOf<C>>) => Promise<Response>,
) {
  return async (request: NextRequest, context: C) => {
    try {
      const actor = await authenticate(callerOf(request), permission);
      // TypeScript cannot see that C["params"] is the promise TParamsOf<C> takes apart.
      const params = checkedPathParams(await (context.params as Promise<TParamsOf<C>>));
      return await answerConditionally(request, await fn({ request, params, actor }));
    } catch (error) {
      const appError = toAppError(error);
      return NextResponse.json(errorBody(appError), { status: appError.status });
    }
  };
}

/** An app route answered by a framework-neutral endpoint (lib/api/endpoint.ts), which server.mjs may also answer beside Next.js. */
export function endpointRoute(endpoint: TEndpoint) {
  return async (request: NextRequest, context: { params: Promise<Record<string, string>> }) => {
    const apiRequest: TApiRequest = {
      ...callerOf(request),
      params: await context.params,
      query: request.nextUrl.searchParams,
      body: (maxBytes) => readCappedText(request.body, maxBytes),
      signal: request.signal,
      gone: () => request.signal.aborted,
    };
    const answer = await answerEndpoint(endpoint, apiRequest);
    const headers = { ...answer.headers, "x-meshdeck-served-by": "next" };
    if (answer.json === undefined) return new Response(null, { status: answer.status, headers });
    // A Buffer is a Uint8Array over an ArrayBuffer here (never a shared one), as Response takes it.
    const body =
      typeof answer.json === "string" ? answer.json : new Uint8Array(answer.json.buffer as ArrayBuffer, answer.json.byteOffset, answer.json.byteLength);
    return new Response(body, { status: answer.status, headers: { ...headers, "content-type": "application/json" } });
  };
}
