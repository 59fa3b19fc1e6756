import "server-only";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "@/lib/log";
import { BesideNextRoutes, readBody } from "@/lib/server/beside-next";
import { capBody } from "@/lib/server/body-cap.mjs";
import { apiSecurityHeaders } from "@/lib/server/security-headers";

// A compat API (Consul, Eureka, Nacos) on its own port: another registry's protocol served by this app process.

export type TCompatRequest = {
  method: string;
  /** Path parameters, percent-decoded; a route ending in `/*` gets the rest of the path as `rest`. */
  params: Record<string, string>;
  query: URLSearchParams;
  header: (name: string) => string | null;
  /** The body's text; past the listener's cap (or `maxBytes`, if smaller) a 413 (thrown), nothing stored. */
  body: (maxBytes?: number) => Promise<string>;
  /** Aborted when the client goes away or the app stops: blocking queries answer at once then. */
  signal: AbortSignal;
  peer: string | null;
};
export type TCompatAnswer = { status: number; body?: string | Buffer; contentType?: string; headers?: Record<string, string> };
export type TCompatHandler = (request: TCompatRequest) => Promise<TCompatAnswer>;

export type TCompatListener = { url: string; server: Server };

function decodeAll(params: Record<string, string>): Record<string, string> | undefined {
  const decoded: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(params)) decoded[name] = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  return decoded;
}

// Each request's signal: aborted when its client goes away early, or for all at once when the app stops (one
// listener on the stop, not one per held long poll).
function requestSignals(stopping: AbortSignal) {
  const live = new Set<AbortController>();
  stopping.addEventListener("abort", () => live.forEach((controller) => controller.abort()), { once: true });
  return (response: ServerResponse): AbortSignal => {
    const ended = new AbortController();
    if (stopping.aborted) ended.abort();
    live.add(ended);
    response.on("close", () => {
      live.delete(ended);
      if (!response.writableFinished) ended.abort();
    });
    return ended.signal;
  };
}

function send(request: IncomingMessage, response: ServerResponse, answer: TCompatAnswer, stopping: boolean) {
  if (response.headersSent || response.destroyed) return;
  const body = answer.body ?? "";
  response.writeHead(answer.status, {
    ...apiSecurityHeaders({ https: false }),
    "content-type": answer.contentType ?? "application/json",
    ...answer.headers,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    // A body not read to its end cannot be followed by another request on this connection.
    ...(request.complete && !stopping ? {} : { connection: "close" }),
  });
  response.end(body);
}

/**
 * Serves `answer` on host:port for a compat API (`name`): the API security headers, bodies capped at `maxBodyBytes`
 * (413), a signal per request, `answerError` shaping every failure the protocol's way. Stops with the app.
 */
export function serveCompatPort({
  name,
  host,
  port,
  maxBodyBytes,
  answer,
  answerError,
}: {
  name: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  answer: (request: IncomingMessage, signal: AbortSignal) => Promise<TCompatAnswer>;
  answerError: (error: unknown) => TCompatAnswer;
}): Promise<TCompatListener> {
  const stopping = new AbortController();
  const signalFor = requestSignals(stopping.signal);
  const server = createServer((request, response) => {
    if (capBody(request, response, maxBodyBytes)) return;
    void answer(request, signalFor(response))
      .catch((error: unknown) => answerError(error))
      .then((answered) => send(request, response, answered, stopping.signal.aborted));
  });
  // Idle keep-alive connections must not hold the app open after it stops; held long polls answer at once.
  const close = () => {
    stopping.abort();
    server.close();
    server.closeIdleConnections();
  };
  process.once("SIGTERM", close);
  process.once("SIGINT", close);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      server.on("error", (error) => log.error(`${name} API listener failed`, error));
      const { port: bound } = server.address() as AddressInfo;
      resolve({ url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`, server });
    });
  });
}

/**
 * Serves `routes` (`METHOD /path/:param`, or a prefix `METHOD /path/*`) with serveCompatPort. `trimSlash` reads
 * `/a/b/` as `/a/b` (Eureka's clients ask both ways).
 */
export function listenCompat({
  routes,
  trimSlash = false,
  ...port
}: {
  name: string;
  host: string;
  port: number;
  routes: [method: string, path: string, handle: TCompatHandler][];
  maxBodyBytes: number;
  answerError: (error: unknown) => TCompatAnswer;
  trimSlash?: boolean;
}): Promise<TCompatListener> {
  const table = new BesideNextRoutes();
  const prefixes: [string, string, TCompatHandler][] = [];
  const handlers = new Map<unknown, TCompatHandler>();
  for (const [method, path, handle] of routes) {
    if (path.endsWith("/*")) prefixes.push([method, path.slice(0, -1), handle]);
    else {
      // The table holds a marker route per path; the handler is found by it.
      const marker = () => true;
      handlers.set(marker, handle);
      table.add(method, path, marker);
    }
  }

  const find = (method: string, path: string): { handle: TCompatHandler; params: Record<string, string> } | undefined => {
    const found = table.find(method, path);
    if (found) return { handle: handlers.get(found.route)!, params: found.params };
    const prefix = prefixes.find(([m, start]) => m === method && path.startsWith(start));
    return prefix ? { handle: prefix[2], params: { rest: path.slice(prefix[1].length) } } : undefined;
  };

  const answer = async (request: IncomingMessage, signal: AbortSignal): Promise<TCompatAnswer> => {
    const url = new URL(request.url ?? "/", "http://compat");
    const method = request.method ?? "GET";
    const path = trimSlash ? url.pathname.replace(/(.)\/+$/, "$1") : url.pathname;
    const route = find(method, path);
    if (!route) return { status: 404, body: `no ${method} ${path} here (${port.name} API)\n`, contentType: "text/plain; charset=utf-8" };
    const params = decodeAll(route.params);
    if (!params) return { status: 400, body: "the path is not valid percent-encoding\n", contentType: "text/plain; charset=utf-8" };
    return route.handle({
      method,
      params,
      query: url.searchParams,
      header: (header) => {
        const value = request.headers[header];
        return Array.isArray(value) ? value.join(", ") : (value ?? null);
      },
      body: (maxBytes = port.maxBodyBytes) => readBody(request, Math.min(maxBytes, port.maxBodyBytes)),
      signal,
      peer: request.socket.remoteAddress ?? null,
    });
  };
  return serveCompatPort({ ...port, answer });
}
