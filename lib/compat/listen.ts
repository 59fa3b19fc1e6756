import "server-only";
import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "@/lib/log";
import { BesideNextRoutes, readBody } from "@/lib/server/beside-next";
import { apiSecurityHeaders } from "@/lib/server/security-headers";

// A compat API (Consul, Eureka, Nacos) on its own port: another registry's protocol served by this app process.

export type TCompatRequest = {
  method: string;
  /** Path parameters, percent-decoded; a route ending in `/*` gets the rest of the path as `rest`. */
  params: Record<string, string>;
  query: URLSearchParams;
  header: (name: string) => string | null;
  /** The body's text; past the listener's cap a 413 (thrown), nothing stored. */
  body: () => Promise<string>;
  /** Aborted when the client goes away or the app stops: blocking queries answer at once then. */
  signal: AbortSignal;
  peer: string | null;
};
export type TCompatAnswer = { status: number; body?: string; contentType?: string; headers?: Record<string, string> };
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

/**
 * Serves `routes` (`METHOD /path/:param`, or a prefix `METHOD /path/*`) on host:port, with the API security headers,
 * a body cap, and `answerError` shaping every failure in the protocol's own way. Stops when the app stops (SIGTERM).
 */
export function listenCompat({
  name,
  host,
  port,
  routes,
  maxBodyBytes,
  answerError,
}: {
  name: string;
  host: string;
  port: number;
  routes: [method: string, path: string, handle: TCompatHandler][];
  maxBodyBytes: number;
  answerError: (error: unknown) => TCompatAnswer;
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
  const stopping = new AbortController();
  // One listener per request in progress: a thousand held blocking queries are not a leak.
  setMaxListeners(0, stopping.signal);

  const find = (method: string, path: string): { handle: TCompatHandler; params: Record<string, string> } | undefined => {
    const found = table.find(method, path);
    if (found) return { handle: handlers.get(found.route)!, params: found.params };
    const prefix = prefixes.find(([m, start]) => m === method && path.startsWith(start));
    return prefix ? { handle: prefix[2], params: { rest: path.slice(prefix[1].length) } } : undefined;
  };

  const serve = async (request: IncomingMessage, signal: AbortSignal): Promise<TCompatAnswer> => {
    const url = new URL(request.url ?? "/", "http://compat");
    const method = request.method ?? "GET";
    const route = find(method, url.pathname);
    if (!route) return { status: 404, body: `no ${method} ${url.pathname} here (${name} API)\n`, contentType: "text/plain; charset=utf-8" };
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
      body: () => readBody(request, maxBodyBytes),
      signal,
      peer: request.socket.remoteAddress ?? null,
    });
  };

  const server = createServer((request, response) => {
    const ended = new AbortController();
    const stop = () => ended.abort();
    stopping.signal.addEventListener("abort", stop, { once: true });
    response.on("close", () => {
      stopping.signal.removeEventListener("abort", stop);
      if (!response.writableFinished) ended.abort();
    });
    void serve(request, ended.signal)
      .catch((error: unknown) => answerError(error))
      .then((answer) => {
        if (response.headersSent || response.destroyed) return;
        const body = answer.body ?? "";
        response.writeHead(answer.status, {
          ...apiSecurityHeaders({ https: false }),
          ...answer.headers,
          "content-type": answer.contentType ?? "application/json",
          "content-length": Buffer.byteLength(body),
          "cache-control": "no-store",
          // A body not read to its end cannot be followed by another request on this connection.
          ...(request.complete && !stopping.signal.aborted ? {} : { connection: "close" }),
        });
        response.end(body);
      });
  });
  // Idle keep-alive connections must not hold the app open after it stops.
  const close = () => {
    stopping.abort();
    server.close();
    server.closeIdleConnections();
  };
  process.once("SIGTERM", close);
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
