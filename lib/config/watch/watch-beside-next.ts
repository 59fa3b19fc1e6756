import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { assertJsonHeaders, authenticateBearer, errorBody, maxBodyBytes, parseJsonBody, toAppError } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { watchConfig, watchPermission } from "./client-read";
import { ZWatchConfig } from "../schemas";

// The watches held now, ended at once when the server stops.
const held = new Set<AbortController>();
let followed: AbortSignal | undefined;
function endHeldOnStop(stopping: AbortSignal) {
  if (followed === stopping) return;
  followed = stopping;
  stopping.addEventListener(
    "abort",
    () => {
      for (const controller of held) controller.abort();
    },
    { once: true },
  );
}

function send(response: ServerResponse, status: number, payload: unknown, close = false) {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        request.pause();
        reject(new AppError("payload_too_large", `the body must be at most ${maxBodyBytes} bytes`));
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * The config watch of an API token, answered beside Next.js: the same long poll as app/api/v1/config/watch/route.ts.
 * 1000 services renew their polls about 33 times a second, and Next's routing and Web-stream response cost several
 * times the watch itself on each (docs/benchmarks.md, "Config watch"). A session's watch is left to the app route.
 */
export function watchBesideNext(request: IncomingMessage, response: ServerResponse, stopping: AbortSignal): boolean {
  const authorization = request.headers.authorization;
  if (!authorization) return false;
  endHeldOnStop(stopping);
  // One controller per watch, aborted only by a client gone early or the server stopping (no AbortSignal.any:
  // at 33 renewals a second its cost showed in the idle profile).
  const ended = new AbortController();
  held.add(ended);
  response.on("close", () => {
    held.delete(ended);
    if (!response.writableFinished) ended.abort();
  });
  void (async () => {
    try {
      assertJsonHeaders({ contentType: request.headers["content-type"] ?? null, contentLength: request.headers["content-length"] ?? null });
      const actor = await authenticateBearer(authorization, watchPermission);
      const input = ZWatchConfig.parse(parseJsonBody(await readBody(request)));
      const changed = await watchConfig({ actor, input, signal: ended.signal });
      // A server that stops answers its held watches with nothing changed, and closes: clients poll again elsewhere.
      send(response, 200, { changed }, stopping.aborted);
    } catch (error) {
      const appError = toAppError(error);
      // A body not read to its end cannot be followed by another request on this connection.
      send(response, appError.status, errorBody(appError), !request.readableEnded);
    }
  })();
  return true;
}
