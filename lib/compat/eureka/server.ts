import "server-only";
import { answerEndpoint, errorAnswer, type TApiAnswer, type TApiRequest, type TEndpoint } from "@/lib/api/endpoint";
import { maxBodyBytes } from "@/lib/api/gate";
import { log } from "@/lib/log";
import { listenCompat, type TCompatAnswer, type TCompatHandler, type TCompatRequest } from "../listen";
import * as eureka from "./endpoints";

// Eureka clients put credentials in the service URL (http://user:token@host:8761/eureka/), sent as HTTP Basic: the
// password is a Meshdeck API token, read as the Bearer token it is. A Bearer header works as it is.
function asBearer(authorization: string | null): string | null {
  const basic = authorization && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic) return authorization;
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  return `Bearer ${decoded.slice(decoded.indexOf(":") + 1)}`;
}

// The answer, Eureka's XML or JSON or the API's JSON error; a 401 names the scheme clients should answer with.
const asCompat = ({ status, headers, json }: TApiAnswer): TCompatAnswer => ({
  status,
  body: json ?? "",
  headers: { ...headers, ...(status === 401 ? { "www-authenticate": 'Basic realm="Meshdeck Eureka API"' } : {}) },
});

function apiRequest(request: TCompatRequest): TApiRequest {
  return {
    method: request.method,
    header: (name) => (name === "authorization" ? asBearer(request.header(name)) : request.header(name)),
    session: async () => null,
    params: request.params,
    query: request.query,
    body: (maxBytes) => request.body(maxBytes),
    signal: request.signal,
    gone: () => request.signal.aborted,
  };
}

const handler =
  (endpoint: TEndpoint): TCompatHandler =>
  async (request) =>
    asCompat(await answerEndpoint(endpoint, apiRequest(request)));

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

/** Serves the Eureka REST API on its own port of `host`, until the app stops. Answers the URL clients are given. */
export async function startEurekaServer({ host, port }: { host: string; port: number }): Promise<string | undefined> {
  try {
    const { url } = await listenCompat({
      name: "Eureka",
      host,
      port,
      maxBodyBytes,
      answerError: (error) => asCompat(errorAnswer(error)),
      // "/eureka/apps/" is "/eureka/apps": Spring's client asks with the slash.
      trimSlash: true,
      // Spring Cloud's server answers under /eureka/, Netflix's under /eureka/v2/: clients are configured with either.
      routes: ["/eureka", "/eureka/v2"].flatMap((prefix) =>
        table.map(([method, path, endpoint]) => [method, prefix + path, handler(endpoint)] as [string, string, TCompatHandler]),
      ),
    });
    log.info(`Eureka API listening on ${url}/eureka/: point Eureka clients there with an API token as the password`);
    return `${url}/eureka/`;
  } catch (error) {
    log.error(`the Eureka API could not listen on ${host}:${port}`, error);
    return undefined;
  }
}
