import "server-only";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { answerEndpoint, errorAnswer, type TApiAnswer, type TEndpoint } from "@/lib/api/endpoint";
import { maxBodyBytes } from "@/lib/api/gate";
import { httpUrl, localAddress } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { apiRequestOf, BesideNextRoutes } from "@/lib/server/beside-next";
import { capBody } from "@/lib/server/body-cap.mjs";
import { apiSecurityHeaders } from "@/lib/server/security-headers";
import * as eureka from "./endpoints";

// Eureka clients put credentials in the service URL (http://user:token@host:8761/eureka/), sent as HTTP Basic: the
// password is a Meshdeck API token, read as the Bearer token it is. A Bearer header works as it is.
function asBearer(authorization: string | null): string | null {
  const basic = authorization && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic) return authorization;
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  return `Bearer ${decoded.slice(decoded.indexOf(":") + 1)}`;
}

function routes(): BesideNextRoutes {
  const table: [string, string, TEndpoint][] = [
    ["GET", "/apps", eureka.listAppsEndpoint],
    ["GET", "/apps/delta", eureka.deltaEndpoint],
    ["GET", "/apps/:app", eureka.getAppEndpoint],
    ["GET", "/apps/:app/:id", eureka.getInstanceEndpoint],
    ["GET", "/vips/:vip", eureka.vipEndpoint("vipAddress")],
    ["GET", "/svips/:vip", eureka.vipEndpoint("secureVipAddress")],
    ["POST", "/apps/:app", eureka.registerEndpoint],
    ["PUT", "/apps/:app/:id", eureka.renewEndpoint],
    ["DELETE", "/apps/:app/:id", eureka.cancelEndpoint],
    ["PUT", "/apps/:app/:id/status", eureka.setStatusEndpoint],
    ["DELETE", "/apps/:app/:id/status", eureka.deleteStatusEndpoint],
  ];
  const found = new BesideNextRoutes();
  // Spring Cloud's server answers under /eureka/, Netflix's under /eureka/v2/: clients are configured with either.
  for (const prefix of ["/eureka", "/eureka/v2"]) {
    for (const [method, path, endpoint] of table) {
      found.add(method, prefix + path, (request, response, stopping, params) => {
        void answerRequest(endpoint, request, response, stopping, params);
        return true;
      });
    }
  }
  return found;
}

async function answerRequest(
  endpoint: TEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
  stopping: AbortSignal,
  rawParams: Record<string, string>,
) {
  let answer: TApiAnswer;
  try {
    const apiRequest = apiRequestOf(request, response, stopping, rawParams);
    const { header } = apiRequest;
    answer = await answerEndpoint(endpoint, { ...apiRequest, header: (name) => (name === "authorization" ? asBearer(header(name)) : header(name)) });
  } catch (error) {
    answer = errorAnswer(error);
  }
  send(response, answer, stopping.aborted || !request.complete);
}

function send(response: ServerResponse, answer: TApiAnswer, close: boolean) {
  if (response.headersSent || response.destroyed) return;
  // The answer's body: Eureka's XML or JSON, or the API's JSON error.
  const body = answer.json ?? "";
  response.writeHead(answer.status, {
    ...apiSecurityHeaders({ https: false }),
    "content-type": "application/json",
    ...answer.headers,
    ...(answer.status === 401 ? { "www-authenticate": 'Basic realm="Meshdeck Eureka API"' } : {}),
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
  });
  response.end(body);
}

/** Serves the Eureka REST API on its own port of `host`, until the app stops. Answers the URL clients are given. */
export function startEurekaServer({ host, port }: { host: string; port: number }): Promise<string | undefined> {
  const table = routes();
  const stopping = new AbortController();
  const server = createServer((request, response) => {
    if (capBody(request, response, maxBodyBytes)) return;
    // "/eureka/apps/" is "/eureka/apps": Spring's client asks with the slash.
    const path = (request.url ?? "/").split("?", 1)[0]!.replace(/(.)\/+$/, "$1");
    const found = table.find(request.method, path);
    if (found) found.route(request, response, stopping.signal, found.params);
    else send(response, errorAnswer(new AppError("not_found", `no Eureka operation ${request.method} ${path}`)), false);
  });
  const stop = () => {
    stopping.abort();
    server.close();
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return new Promise((resolve) => {
    server.once("error", (error) => {
      log.error(`the Eureka API could not listen on ${host}:${port}: ${error.message}`);
      resolve(undefined);
    });
    server.listen(port, host, () => {
      const address = server.address();
      const url = `${httpUrl(localAddress(host), typeof address === "object" && address ? address.port : port)}/eureka/`;
      log.info(`Eureka API listening on ${url}: point Eureka clients there with an API token as the password`);
      resolve(url);
    });
  });
}
