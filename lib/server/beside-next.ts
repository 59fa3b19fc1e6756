import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerEndpoint, errorAnswer, type TApiAnswer, type TApiRequest, type TEndpoint } from "@/lib/api/endpoint";
import { tooLarge } from "@/lib/api/gate";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { apiSecurityHeaders, servedOverHttps } from "./security-headers";

/** Answers the request and returns true, or returns false at once (nothing read, nothing written) to leave it to Next.js. */
export type TBesideNextRoute = (request: IncomingMessage, response: ServerResponse, stopping: AbortSignal, params: Record<string, string>) => boolean;

/** A pattern's segment, compiled once: a literal to equal, or the name of a parameter. */
type TSegment = { literal: string; param?: undefined } | { literal?: undefined; param: string };

/** The routes answered before Next.js; a `:name` segment of a pattern matches any one non-empty path segment. */
// Looked up on every request (tens of thousands of heartbeats a second): by method, then the exact path in a map, then
// the method's patterns walked along the path in place. Nothing is made but a match's parameters and its answer.
export class BesideNextRoutes {
  private readonly exact = new Map<string, Map<string, TBesideNextRoute>>();
  private readonly patterns = new Map<string, { segments: TSegment[]; route: TBesideNextRoute }[]>();

  add(method: string, path: string, route: TBesideNextRoute) {
    const segments = path.split("/");
    if (!segments.some((segment) => segment.startsWith(":"))) {
      this.exact.set(method, (this.exact.get(method) ?? new Map<string, TBesideNextRoute>()).set(path, route));
      return;
    }
    const compiled = segments.map((segment): TSegment => (segment.startsWith(":") ? { param: segment.slice(1) } : { literal: segment }));
    this.patterns.set(method, [...(this.patterns.get(method) ?? []), { segments: compiled, route }]);
  }

  /** The route for `method path` and its parameters, still percent-encoded (undefined: Next.js routes it). */
  find(method: string | undefined, path: string | undefined): { route: TBesideNextRoute; params: Record<string, string> } | undefined {
    if (!method || !path) return undefined;
    const exact = this.exact.get(method)?.get(path);
    if (exact) return { route: exact, params: {} };
    for (const { segments, route } of this.patterns.get(method) ?? noPatterns) {
      const params = matchSegments(segments, path);
      if (params) return { route, params };
    }
    return undefined;
  }
}

const noPatterns: never[] = [];

/** The parameters of `path` when it has the pattern's segments (as many, each literal equal, each parameter non-empty). */
function matchSegments(segments: TSegment[], path: string): Record<string, string> | undefined {
  let params: Record<string, string> | undefined;
  let start = 0;
  for (let i = 0; i < segments.length; i++) {
    const slash = path.indexOf("/", start);
    const last = i === segments.length - 1;
    // The last segment runs to the end of the path; any other ends at a slash.
    if (last ? slash !== -1 : slash === -1) return undefined;
    const end = last ? path.length : slash;
    const { literal, param } = segments[i]!;
    if (param === undefined) {
      if (end - start !== literal.length || !path.startsWith(literal, start)) return undefined;
    } else {
      if (end === start) return undefined;
      (params ??= {})[param] = path.slice(start, end);
    }
    start = end + 1;
  }
  return params ?? {};
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

// The headers every answer carries, as Node's flat list of names and values: made once (AUTH_URL is read once), with
// lowercase names, which Node matches without lowercasing them again. Per answer only its own are added.
const fixedHeaders = processSingleton("meshdeck.besideNext.fixedHeaders", () => {
  const fixed = { ...apiSecurityHeaders({ https: servedOverHttps("http:") }), "cache-control": "no-store", "x-meshdeck-served-by": "beside-next" };
  const list = Object.entries(fixed).flatMap(([name, value]) => [name.toLowerCase(), value]);
  return { list, withJson: [...list, "content-type", "application/json"], names: new Set(list.filter((_, i) => i % 2 === 0)) };
});

/** Writes an answer; `close` ends the connection after it (a body not read to its end, or a server stopping). */
export function sendAnswer(response: ServerResponse, answer: TApiAnswer, close: boolean) {
  if (response.headersSent || response.destroyed) return;
  const { json } = answer;
  const length = json === undefined ? 0 : typeof json === "string" ? Buffer.byteLength(json) : json.length;
  let headers = json === undefined ? fixedHeaders.list : fixedHeaders.withJson.concat("content-length", String(length));
  if (answer.headers) headers = headers.concat(ownHeaders(answer.headers, json !== undefined, close));
  if (close) headers = headers.concat("connection", "close");
  response.writeHead(answer.status, headers);
  response.end(json);
}

/** An answer's own headers as a flat list, leaving out those the fixed ones, the body's or the connection's replace. */
function ownHeaders(headers: Record<string, string>, json: boolean, close: boolean): string[] {
  const list: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (fixedHeaders.names.has(lower) || (json && (lower === "content-type" || lower === "content-length")) || (close && lower === "connection")) continue;
    list.push(name, value);
  }
  return list;
}

/** The parameters decoded, the same object when none holds a percent sign (a heartbeat's id): nothing made for it. */
function decodeParams(params: Record<string, string>): Record<string, string> {
  let decoded: Record<string, string> | undefined;
  for (const name in params) {
    const value = params[name]!;
    if (!value.includes("%")) continue;
    decoded ??= { ...params };
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new AppError("bad_request", `${name}: the path segment is not valid percent-encoding`, name);
    }
  }
  return decoded ?? params;
}

/**
 * An endpoint (lib/api/endpoint.ts) answered beside Next.js for API tokens: the same gate and handler as its app route,
 * without Next's routing and Web-stream response, which cost more than a heartbeat or a cached discovery answer.
 * A session's request (no Authorization header) is left to the app route, where Auth.js reads the cookie.
 */
export function endpointBesideNext(endpoint: TEndpoint): TBesideNextRoute {
  return (request, response, stopping, rawParams) => {
    if (!request.headers.authorization) return false;
    let answer: TApiAnswer | Promise<TApiAnswer>;
    try {
      answer = answerEndpoint(endpoint, new NodeApiRequest(request, response, stopping, decodeParams(rawParams)));
    } catch (error) {
      answer = errorAnswer(error);
    }
    // An answer given at once (a heartbeat from memory) is sent at once, no promise made for it.
    if (!(answer instanceof Promise)) sendAnswer(response, answer, closeAfter(request, stopping));
    else
      void answer.then(
        (later) => sendAnswer(response, later, closeAfter(request, stopping)),
        (error: unknown) => sendAnswer(response, errorAnswer(error), closeAfter(request, stopping)),
      );
    return true;
  };
}

// A body not received to its end cannot be followed by another request on this connection. (An answer given at once is
// sent before Node's parser marks even a bodyless request complete.)
function closeAfter(request: IncomingMessage, stopping: AbortSignal): boolean {
  return stopping.aborted || (!request.complete && hasBody(request));
}

function hasBody({ headers }: IncomingMessage): boolean {
  return headers["transfer-encoding"] !== undefined || (headers["content-length"] !== undefined && headers["content-length"] !== "0");
}

/**
 * A Node.js request as an endpoint sees it, for API tokens (no session is read). One object per request, its methods
 * on the prototype: a heartbeat made an object literal with four closures and two getters before.
 */
class NodeApiRequest implements TApiRequest {
  readonly method: string;
  // Made when first asked for (a long poll): an AbortSignal costs more than the rest of a heartbeat's setup; so is the query.
  private madeSignal: AbortSignal | undefined;
  private madeQuery: URLSearchParams | undefined;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly stopping: AbortSignal,
    readonly params: Record<string, string>,
  ) {
    this.method = request.method ?? "GET";
  }

  header(name: string): string | null {
    const value = this.request.headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? null);
  }

  session() {
    return Promise.resolve(null);
  }

  // Only the query is read of the URL (the path was matched already): a heartbeat has none.
  get query(): URLSearchParams {
    if (this.madeQuery) return this.madeQuery;
    const url = this.request.url ?? "";
    const at = url.indexOf("?");
    return (this.madeQuery = new URLSearchParams(at === -1 ? "" : url.slice(at + 1)));
  }

  body(maxBytes: number): Promise<string> {
    return readBody(this.request, maxBytes);
  }

  get signal(): AbortSignal {
    return (this.madeSignal ??= requestSignal(this.response, this.stopping));
  }

  gone(): boolean {
    return this.stopping.aborted || this.response.destroyed;
  }
}
