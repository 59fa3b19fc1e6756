import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import type { TPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { plainTextCheck } from "@/lib/plain-text";
import type { TAdmission } from "./admission";
import { assertJsonHeaders, authenticate, errorBody, knownCaller, maxBodyBytes, parseJsonBody, toAppError, type TCaller } from "./gate";

/** A request as an endpoint sees it, whichever server received it (Next.js's app routes, or server.mjs beside them). */
export type TApiRequest = TCaller & {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The body's text, read as it streams: a 413 as soon as it passes `maxBytes`. */
  body: (maxBytes: number) => Promise<string>;
  /** Aborted when the client goes away, or the server stops (long polls answer at once then). */
  signal: AbortSignal;
  /** Whether the client went away or the server is stopping: `signal.aborted`, without making a signal. */
  gone: () => boolean;
};

/** What an endpoint answers: a status, headers, and a JSON text already serialized (discovery's is cached, encoded). */
export type TApiAnswer = { status: number; headers?: Record<string, string>; json?: string | Buffer };

export type TEndpoint = {
  permission: TPermission;
  /** Bounds this endpoint's requests in progress: past it a 503 with Retry-After, before anything is read or stored. */
  admission?: () => TAdmission;
  handle: (context: { request: TApiRequest; actor: TActor }) => Promise<TApiAnswer>;
  /**
   * Answers from memory without waiting on anything (a heartbeat of an instance known and passing), or undefined:
   * `handle` answers then. Called only for a caller known without a read; it checks what `handle` would.
   */
  answerAtOnce?: (context: { request: TApiRequest; actor: TActor }) => TApiAnswer | undefined;
};

/**
 * A record's id in a path (`/api/v1/users/:id`): the ids Meshdeck makes are cuids, so anything else (a NUL byte, which
 * PostgreSQL refuses outright, a path of 10 KB) is a 422 before any query. Every `[id]` app route passes it (apiRoute).
 */
export const ZRecordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an id: 1 to 64 letters, digits, '_' or '-'");

// Any other path parameter (a service's or source's name, a config key): no control characters, which PostgreSQL
// refuses outright in a query (a NUL: a 503).
const ZPathName = z.string().check(plainTextCheck());

/** The path's parameters checked before any query (422 naming the field): `id` as a record id, any other as a name. */
export function checkedPathParams<P extends object>(params: P): P {
  // A route with no dynamic segment is handed no parameters at all.
  if (typeof params !== "object" || params === null) return params;
  for (const [name, value] of Object.entries(params)) {
    const parsed = (name === "id" ? ZRecordId : ZPathName).safeParse(value);
    if (!parsed.success) throw new AppError("validation_failed", `${name}: ${parsed.error.issues[0]?.message}`, name);
  }
  return params;
}

// How long an overloaded or failing server asks clients to wait before trying again.
const retryAfterS = 1;

export function jsonAnswer(payload: unknown, { status = 200, headers }: { status?: number; headers?: Record<string, string> } = {}): TApiAnswer {
  return { status, headers, json: JSON.stringify(payload) };
}

export function errorAnswer(error: unknown): TApiAnswer {
  const appError = toAppError(error);
  // A 503 stored nothing (every write is one transaction); the client may try again, and is told when.
  const headers = appError.status === 503 ? { "retry-after": String(retryAfterS) } : undefined;
  return jsonAnswer(errorBody(appError), { status: appError.status, headers });
}

/**
 * The one gate of every endpoint: admission, then who is calling and whether they may, then the endpoint; errors as
 * `{ error }`. An answer given at once (`answerAtOnce`) is returned as it is, not in a promise: at tens of thousands
 * of heartbeats a second each promise, setImmediate and async step showed in the profile (Next.js's
 * AsyncLocalStorage hooks every promise made).
 */
export function answerEndpoint(endpoint: TEndpoint, request: TApiRequest): TApiAnswer | Promise<TApiAnswer> {
  const admission = endpoint.admission?.();
  const release = admission?.tryEnter();
  if (admission && !release) {
    return errorAnswer(new AppError("unavailable", `this server has ${admission.limit} registry writes in progress; try again in ${retryAfterS} s`));
  }
  if (endpoint.answerAtOnce) {
    try {
      const actor = knownCaller(request, endpoint.permission);
      const answer = actor && endpoint.answerAtOnce({ request, actor });
      if (answer) {
        release?.();
        return answer;
      }
    } catch (error) {
      release?.();
      return errorAnswer(error);
    }
  }
  return answerLater(endpoint, request, release);
}

async function answerLater(endpoint: TEndpoint, request: TApiRequest, release: (() => void) | undefined): Promise<TApiAnswer> {
  try {
    // A turn of the event loop before the work: requests that arrived together are all counted before any runs. A write
    // on SQLite may otherwise run start to end without yielding, one at a time, while the rest wait unbounded, and
    // uncounted, in the sockets.
    if (release) await new Promise((resolve) => setImmediate(resolve));
    const actor = await authenticate(request, endpoint.permission);
    return await endpoint.handle({ request, actor });
  } catch (error) {
    return errorAnswer(error);
  } finally {
    release?.();
  }
}

/** Reads a JSON body, capped in size (64 KiB unless said otherwise). */
export async function readJsonBody(request: TApiRequest, { maxBytes = maxBodyBytes }: { maxBytes?: number } = {}): Promise<unknown> {
  assertJsonHeaders({ contentType: request.header("content-type"), contentLength: request.header("content-length") }, maxBytes);
  return parseJsonBody(await request.body(maxBytes), maxBytes);
}

/** Before a write: a client that has gone away is never answered, so nothing is stored for it. */
export function assertClientWaiting(request: TApiRequest) {
  if (request.gone()) throw new AppError("unavailable", "the client went away or the server is stopping; nothing was stored");
}
