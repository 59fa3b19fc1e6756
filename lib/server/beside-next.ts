import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerEndpoint, errorAnswer, type TApiAnswer, type TApiRequest, type TEndpoint } from "@/lib/api/endpoint";
import { tooLarge } from "@/lib/api/gate";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { apiSecurityHeaders, servedOverHttps } from "./security-headers";

/** Answers the request and returns true, or returns false at once (nothing read, nothing written) to leave it to Next.js. */
export type TBesideNextRoute = (request: IncomingMessage, response: ServerResponse, stopping: AbortSignal, params: Record<string, string>) => boolean;

type TPattern = { method: string; segments: string[]; route: TBesideNextRoute };

/** The routes answered before Next.js; a `:name` segment of a pattern matches any one non-empty path segment. */
export class BesideNextRoutes {
  private readonly exact = new Map<string, TBesideNextRoute>();
  private readonly patterns: TPattern[] = [];

  add(method: string, path: string, route: TBesideNextRoute) {
    const segments = path.split("/");
    if (!segments.some((segment) => segment.startsWith(":"))) this.exact.set(`${method} ${path}`, route);
    else this.patterns.push({ method, segments, route });
  }

  /** The route for `method path` and its parameters, still percent-encoded (undefined: Next.js routes it). */
  find(method: string | undefined, path: string | undefined): { route: TBesideNextRoute; params: Record<string, string> } | undefined {
    if (!method || !path) return undefined;
    const exact = this.exact.get(`${method} ${path}`);
    if (exact) return { route: exact, params: {} };
    const segments = path.split("/");
    for (const pattern of this.patterns) {
      if (pattern.method !== method || pattern.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matched = pattern.segments.every((expected, i) => {
        const segment = segments[i]!;
        if (!expected.startsWith(":")) return expected === segment;
        params[expected.slice(1)] = segment;
        return segment !== "";
      });
      if (matched) return { route: pattern.route, params };
    }
    return undefined;
  }
}

// server.mjs looks routes up here before handing a request to Next.js. They are registered from the app's own
// bundle at start, so they share its modules (database client, caches) with the routes Next.js serves.
/** `method path` is answered by `route` before Next.js routes it (only under server.mjs; `next dev` serves the app route). */
export function serveBesideNext(method: string, path: string, route: TBesideNextRoute) {
  // server.mjs reads it as globalThis[Symbol.for("meshdeck.besideNext.routes")].find(method, path).
  processSingleton("meshdeck.besideNext.routes", () => new BesideNextRoutes()).add(method, path, route);
}

// The requests held now (long polls), ended at once when the server stops: one listener on the server's signal,
// not one per request (at 33 renewals a second AbortSignal.any showed in the idle profile).
const held = processSingleton("meshdeck.besideNext.held", () => ({ controllers: new Set<AbortController>(), followed: undefined as AbortSignal | undefined }));

/** A signal aborted when the client goes away before its answer, or when the server stops. */
export function requestSignal(response: ServerResponse, stopping: AbortSignal): AbortSignal {
  if (held.followed !== stopping) {
    held.followed = stopping;
    stopping.addEventListener("abort", () => held.controllers.forEach((controller) => controller.abort()), { once: true });
  }
  const ended = new AbortController();
  // Made after the client went away (signals are made when first asked for): aborted, and nothing to follow.
  if (response.destroyed) {
    ended.abort();
    return ended.signal;
  }
  if (stopping.aborted) ended.abort();
  held.controllers.add(ended);
  response.on("close", () => {
    held.controllers.delete(ended);
    if (!response.writableFinished) ended.abort();
  });
  return ended.signal;
}

/** The body's text as it streams; past `maxBytes` reading stops (a 413), and the connection is closed after the answer. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.pause();
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Writes an answer; `close` ends the connection after it (a body not read to its end, or a server stopping). */
// The same on every answer of this process (AUTH_URL is read once): made once, not per request.
const securityHeaders = processSingleton("meshdeck.besideNext.securityHeaders", () => apiSecurityHeaders({ https: servedOverHttps("http:") }));

export function sendAnswer(response: ServerResponse, answer: TApiAnswer, close: boolean) {
  if (response.headersSent || response.destroyed) return;
  const body = answer.json ?? "";
  response.writeHead(answer.status, {
    ...securityHeaders,
    ...answer.headers,
    ...(answer.json === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
    "cache-control": "no-store",
    "x-meshdeck-served-by": "beside-next",
    ...(close ? { connection: "close" } : {}),
  });
  response.end(answer.json === undefined ? undefined : body);
}

function decodeParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!value.includes("%")) {
      decoded[name] = value;
      continue;
    }
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new AppError("bad_request", `${name}: the path segment is not valid percent-encoding`, name);
    }
  }
  return decoded;
}

/**
 * An endpoint (lib/api/endpoint.ts) answered beside Next.js for API tokens: the same gate and handler as its app route,
 * without Next's routing and Web-stream response, which cost more than a heartbeat or a cached discovery answer.
 * A session's request (no Authorization header) is left to the app route, where Auth.js reads the cookie.
 */
export function endpointBesideNext(endpoint: TEndpoint): TBesideNextRoute {
  return (request, response, stopping, rawParams) => {
    if (!request.headers.authorization) return false;
    // A body not received to its end cannot be followed by another request on this connection. (An answer given at
    // once is sent before Node's parser marks even a bodyless request complete.)
    const send = (answer: TApiAnswer) => sendAnswer(response, answer, stopping.aborted || (!request.complete && hasBody(request)));
    let answer: TApiAnswer | Promise<TApiAnswer>;
    try {
      answer = answerEndpoint(endpoint, apiRequestOf(request, response, stopping, rawParams));
    } catch (error) {
      answer = errorAnswer(error);
    }
    // An answer given at once (a heartbeat from memory) is sent at once, no promise made for it.
    if (answer instanceof Promise) void answer.then(send, (error: unknown) => send(errorAnswer(error)));
    else send(answer);
    return true;
  };
}

function hasBody({ headers }: IncomingMessage): boolean {
  return headers["transfer-encoding"] !== undefined || (headers["content-length"] !== undefined && headers["content-length"] !== "0");
}

/** A Node.js request as an endpoint sees it, for API tokens (no session is read); a path parameter badly encoded is a 400. */
export function apiRequestOf(request: IncomingMessage, response: ServerResponse, stopping: AbortSignal, rawParams: Record<string, string>): TApiRequest {
  // Only the query is read of the URL (the path was matched already): a heartbeat has none.
  const at = request.url?.indexOf("?") ?? -1;
  // Made when first asked for (a long poll): an AbortSignal costs more than the rest of a heartbeat's setup; so is the query.
  let signal: AbortSignal | undefined;
  let query: URLSearchParams | undefined;
  return {
    method: request.method ?? "GET",
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
    session: async () => null,
    params: decodeParams(rawParams),
    get query() {
      return (query ??= new URLSearchParams(at === -1 ? "" : request.url!.slice(at + 1)));
    },
    body: (maxBytes) => readBody(request, maxBytes),
    get signal() {
      return (signal ??= requestSignal(response, stopping));
    },
    gone: () => stopping.aborted || response.destroyed,
  };
}
