import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Answers the request and returns true, or returns false at once (nothing read, nothing written) to leave it to Next.js. */
export type TBesideNextRoute = (request: IncomingMessage, response: ServerResponse, signal: AbortSignal) => boolean;

// server.mjs looks routes up here before handing a request to Next.js. They are registered from the app's own
// bundle at start, so they share its modules (database client, caches) with the routes Next.js serves.
const routesKey = Symbol.for("meshdeck.besideNext.routes");
const globalForRoutes = globalThis as unknown as Record<symbol, Map<string, TBesideNextRoute> | undefined>;

/** `POST <path>` is answered by `route` before Next.js routes it (only under server.mjs; `next dev` serves the app route). */
export function serveBesideNext(path: string, route: TBesideNextRoute) {
  const routes = (globalForRoutes[routesKey] ??= new Map());
  routes.set(`POST ${path}`, route);
}
