import "server-only";
import { createServer } from "node:http";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { MAX_CONFIG_BODY_BYTES } from "@/lib/config/schemas";
import { capBody } from "@/lib/server/body-cap.mjs";
import { apiSecurityHeaders } from "@/lib/server/security-headers";
import { errorText, type TNacosAnswer } from "./http";
import { answerNacos } from "./routes";

let started = false;

// Each request's signal: aborted when its client goes away early, or at once for all when the API stops. One
// listener on the stop, not one per held listener poll.
function signals(stopping: AbortSignal) {
  const live = new Set<AbortController>();
  stopping.addEventListener("abort", () => live.forEach((controller) => controller.abort()), { once: true });
  return (response: import("node:http").ServerResponse): AbortSignal => {
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

function send(response: import("node:http").ServerResponse, answer: TNacosAnswer, close: boolean) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.status, {
    ...apiSecurityHeaders({ https: false }),
    ...answer.headers,
    "content-type": answer.type === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(answer.body),
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
  });
  response.end(answer.body);
}

/** Nacos's open API v1 (naming and config) on MESHDECK_NACOS_PORT of MESHDECK_HOST, when set; it stops with the app. */
export function startNacosApi() {
  const { MESHDECK_NACOS_PORT: port, MESHDECK_HOST: host } = getEnv();
  if (port === undefined || started) return;
  started = true;
  const stopping = new AbortController();
  const requestSignal = signals(stopping.signal);
  const server = createServer((request, response) => {
    // The largest body a Nacos request needs is a config publish; each route caps its own below that.
    if (capBody(request, response, MAX_CONFIG_BODY_BYTES)) return;
    const signal = requestSignal(response);
    answerNacos(request, signal).then(
      (answer) => send(response, answer, stopping.signal.aborted || !request.complete),
      (error: unknown) => send(response, errorText(error), !request.complete),
    );
  });
  server.on("error", (error) => log.error(`the Nacos API could not listen on ${host}:${port}`, error));
  server.listen(port, host, () => log.info(`Nacos API (naming and config v1) listening on http://${host}:${port}/nacos`));
  const stop = () => {
    // Held listeners answer "nothing changed" at once and close; clients poll again elsewhere.
    stopping.abort();
    server.close();
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
