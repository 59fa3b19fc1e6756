// @ts-check
// Meshdeck's HTTP server: Next.js (what `next start` runs), with the few routes registered by
// lib/server/beside-next.ts answered before Next.js routes them. Listens on MESHDECK_HOST:PORT.
import { createServer } from "node:http";
import next from "next";
import { bodyLimitFor, capBody } from "./lib/server/body-cap.mjs";

const hostname = process.env.MESHDECK_HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
process.env.NODE_ENV ??= "production";

const app = next({ dev: false, hostname, port, dir: import.meta.dirname });
const handle = app.getRequestHandler();
// Aborted when the server stops: routes beside Next.js end what they hold (long polls) at once.
const stopping = new AbortController();
await app.prepare();

/** @typedef {(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse, signal: AbortSignal, params: Record<string, string>) => boolean} TRoute */
/** @typedef {{ find: (method: string | undefined, path: string | undefined) => { route: TRoute, params: Record<string, string> } | undefined }} TRoutes */
// Looked up on each request: instrumentation.ts registers them when Next.js first prepares its server; until
// then (the first requests after start) Next.js answers alone.
const besideNext = () => /** @type {TRoutes | undefined} */ (Reflect.get(globalThis, Symbol.for("meshdeck.besideNext.routes")));

/** The route registered beside Next.js for this request answers it (true), or Next.js will. */
function answerBesideNext(
  /** @type {import("node:http").IncomingMessage} */ request,
  /** @type {import("node:http").ServerResponse} */ response,
  /** @type {string | undefined} */ path,
) {
  const found = besideNext()?.find(request.method, path);
  return found?.route(request, response, stopping.signal, found.params) ?? false;
}

// Route handlers and server actions do not see the socket: the peer's address is passed on in a header (read by
// lib/auth/client-address.ts), and one a client sent itself is dropped first. Only for Next.js: the routes beside it
// answer API tokens and never read it.
const clientAddressHeader = "x-meshdeck-client-address";
function passClientAddress(/** @type {import("node:http").IncomingMessage} */ request) {
  delete request.headers[clientAddressHeader];
  const address = request.socket.remoteAddress;
  if (address) request.headers[clientAddressHeader] = address;
}

/** The URL's path, without its query; the URL itself when it has none (a heartbeat), nothing made. */
function pathOf(/** @type {string | undefined} */ url) {
  const at = url?.indexOf("?") ?? -1;
  return at === -1 ? url : url?.slice(0, at);
}

const server = createServer((request, response) => {
  const path = pathOf(request.url);
  if (capBody(request, response, bodyLimitFor(path ?? ""))) return;
  if (answerBesideNext(request, response, path)) return;
  passClientAddress(request);
  handle(request, response).catch((error) => {
    console.error(`Failed to handle request for ${request.url}`, error);
    if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
  });
});
const upgrade = app.getUpgradeHandler();
server.on("upgrade", (request, socket, head) => {
  upgrade(request, socket, head).catch((error) => {
    console.error(`Failed to upgrade request for ${request.url}`, error);
    socket.destroy();
  });
});
server.on("error", (error) => {
  console.error(`Meshdeck could not listen on ${hostname}:${port}:`, error.message);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`▲ Meshdeck listening on http://${hostname}:${port}`));

// As `next start` does: stop taking connections, let requests finish, then exit; held long polls end at once.
let stopped = false;
function stop(/** @type {NodeJS.Signals} */ signal) {
  if (stopped) return;
  stopped = true;
  const exit = () => process.exit(signal === "SIGINT" ? 130 : 143);
  stopping.abort();
  server.close(() => void app.close().finally(exit));
  server.closeIdleConnections();
  setTimeout(exit, 10_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
