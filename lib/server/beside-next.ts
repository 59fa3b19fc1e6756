import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { processSingleton } from "@/lib/process-singleton";

/** Answers the request and returns true, or returns false at once (nothing read, nothing written) to leave it to Next.js. */
export type TBesideNextRoute = (request: IncomingMessage, response: ServerResponse, signal: AbortSignal) => boolean;

// server.mjs looks routes up here before handing a request to Next.js. They are registered from the app's own
// bundle at start, so they share its modules (database client, caches) with the routes Next.js serves.
/** `POST <path>` is answered by `route` before Next.js routes it (only under server.mjs; `next dev` serves the app route). */
export function serveBesideNext(path: string, route: TBesideNextRoute) {
  // server.mjs reads it as globalThis[Symbol.for("meshdeck.besideNext.routes")].
  const routes = processSingleton("meshdeck.besideNext.routes", () => new Map<string, TBesideNextRoute>());
  routes.set(`POST ${path}`, route);
}
