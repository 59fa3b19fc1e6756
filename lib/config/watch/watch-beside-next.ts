import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorAnswer, jsonAnswer } from "@/lib/api/endpoint";
import { assertJsonHeaders, authenticateBearer, maxBodyBytes, parseJsonBody } from "@/lib/api/gate";
import { readBody, requestSignal, sendAnswer } from "@/lib/server/beside-next";
import { watchConfig, watchPermission } from "./client-read";
import { ZWatchConfig } from "../schemas";

/**
 * The config watch of an API token, answered beside Next.js: the same long poll as app/api/v1/config/watch/route.ts.
 * 1000 services renew their polls about 33 times a second, and Next's routing and Web-stream response cost several
 * times the watch itself on each (docs/benchmarks.md, "Config watch"). A session's watch is left to the app route.
 */
export function watchBesideNext(request: IncomingMessage, response: ServerResponse, stopping: AbortSignal): boolean {
  const authorization = request.headers.authorization;
  if (!authorization) return false;
  // Aborted only by a client gone early or the server stopping.
  const signal = requestSignal(response, stopping);
  void (async () => {
    try {
      assertJsonHeaders({ contentType: request.headers["content-type"] ?? null, contentLength: request.headers["content-length"] ?? null });
      const actor = await authenticateBearer(authorization, watchPermission);
      const input = ZWatchConfig.parse(parseJsonBody(await readBody(request, maxBodyBytes)));
      const changed = await watchConfig({ actor, input, signal });
      // A server that stops answers its held watches with nothing changed, and closes: clients poll again elsewhere.
      sendAnswer(response, jsonAnswer({ changed }), stopping.aborted);
    } catch (error) {
      // A body not received to its end cannot be followed by another request on this connection.
      sendAnswer(response, errorAnswer(error), !request.complete);
    }
  })();
  return true;
}
