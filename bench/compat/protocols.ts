// One client per protocol, each making the calls its real client makes: register instance k, renew instance k.
import Consul from "consul";
import { Pool } from "undici";

export type TProtocol = "native" | "consul" | "eureka" | "nacos";
/** A call's outcome: its HTTP status (0: no answer) and, when not 2xx, the start of what was answered. */
export type TOutcome = { status: number; detail?: string };
export type TClient = { register: (k: number) => Promise<TOutcome>; renew: (k: number) => Promise<TOutcome>; close: () => Promise<void> };
export type TEndpoints = { app: string; consul: string; eureka: string; nacos: string; token: string };

// 1,000 instances in 50 services of 20: a fleet's shape, not one giant service.
const services = 50;
const serviceOf = (k: number) => `bench-svc-${String(k % services).padStart(2, "0")}`;
const ipOf = (k: number) => `10.77.${(k >> 8) & 255}.${k & 255}`;
const failed = (error: unknown): TOutcome => {
  const response = (error as { response?: { statusCode?: number; body?: unknown } }).response;
  const detail = typeof response?.body === "string" ? response.body : error instanceof Error ? error.message : String(error);
  return { status: response?.statusCode ?? 0, detail: detail.slice(0, 200) };
};

/** One call; `accepted` reads a 2xx answer's text for a refusal it carries (Nacos's beat answers 200 with code 20404). */
async function request(
  pool: Pool,
  method: "POST" | "PUT",
  path: string,
  headers: Record<string, string>,
  body?: string,
  accepted: (text: string) => boolean = () => true,
): Promise<TOutcome> {
  try {
    const response = await pool.request({ method, path, headers, body, headersTimeout: 30_000, bodyTimeout: 30_000 });
    const text = await response.body.text();
    const ok = response.statusCode >= 200 && response.statusCode < 300 && accepted(text);
    return ok ? { status: response.statusCode } : { status: response.statusCode, detail: text.slice(0, 200) };
  } catch (error) {
    return failed(error);
  }
}

/** The client for a protocol; `ttlS` is the native TTL or Consul's check TTL. */
export function clientFor(protocol: TProtocol, at: TEndpoints, { connections, ttlS }: { connections: number; ttlS: number }): TClient {
  if (protocol === "consul") {
    const consul = new Consul({ host: "127.0.0.1", port: Number(new URL(at.consul).port), defaults: { token: at.token } });
    const id = (k: number) => `${serviceOf(k)}-${k}`;
    return {
      // As Consul clients register: the service with a TTL check, which they then pass at half the TTL.
      register: (k) =>
        consul.agent.service
          .register({
            id: id(k),
            name: serviceOf(k),
            address: ipOf(k),
            port: 8080,
            check: { name: "ttl", ttl: `${ttlS}s`, timeout: "1s", deregistercriticalserviceafter: "1m" },
          })
          .then(() => ({ status: 200 }), failed),
      renew: (k) => consul.agent.check.pass({ id: `service:${id(k)}` }).then(() => ({ status: 200 }), failed),
      close: async () => undefined,
    };
  }
  const origin = protocol === "native" ? at.app : protocol === "eureka" ? at.eureka : at.nacos;
  const pool = new Pool(new URL(origin).origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const close = () => pool.close();
  if (protocol === "native") {
    const headers = { authorization: `Bearer ${at.token}` };
    const json = { ...headers, "content-type": "application/json" };
    const id = (k: number) => `bench-${k}`;
    const body = (k: number) =>
      JSON.stringify({
        service: serviceOf(k),
        id: id(k),
        host: ipOf(k),
        port: 8080,
        check: { kind: "ttl", ttl: `${ttlS}s`, deregisterAfter: null },
        metrics: null,
      });
    return {
      register: (k) => request(pool, "POST", "/api/v1/registry/instances", json, body(k)),
      renew: (k) => request(pool, "PUT", `/api/v1/registry/instances/${id(k)}/heartbeat`, headers),
      close,
    };
  }
  if (protocol === "eureka") {
    // eureka-js-client's calls: POST /apps/APP with the instance as JSON, then PUT /apps/APP/id; the token as the
    // password of the service URL (Basic auth), as Spring Cloud users write it.
    const base = new URL(at.eureka).pathname.replace(/\/$/, "");
    const auth = { authorization: `Basic ${Buffer.from(`meshdeck:${at.token}`).toString("base64")}` };
    const app = (k: number) => serviceOf(k).toUpperCase();
    const id = (k: number) => `${ipOf(k)}:${serviceOf(k)}:8080`;
    const instance = (k: number) =>
      JSON.stringify({
        instance: {
          app: app(k),
          instanceId: id(k),
          hostName: ipOf(k),
          ipAddr: ipOf(k),
          status: "UP",
          port: { $: 8080, "@enabled": true },
          vipAddress: serviceOf(k),
          dataCenterInfo: { "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", name: "MyOwn" },
          leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
        },
      });
    return {
      register: (k) => request(pool, "POST", `${base}/apps/${app(k)}`, { ...auth, "content-type": "application/json" }, instance(k)),
      renew: (k) => request(pool, "PUT", `${base}/apps/${app(k)}/${encodeURIComponent(id(k))}`, auth),
      close,
    };
  }
  // The nacos SDK's calls (nacos-naming's proxy): POST /ns/instance, then PUT /ns/instance/beat with the beat as JSON,
  // every parameter in the query string, its username and password (here the token) on every request.
  const base = new URL(at.nacos).pathname.replace(/\/$/, "");
  const grouped = (k: number) => `DEFAULT_GROUP@@${serviceOf(k)}`;
  const query = (params: Record<string, string>) => new URLSearchParams({ ...params, namespaceId: "public", username: "bench", password: at.token }).toString();
  const registration = (k: number) =>
    query({
      serviceName: grouped(k),
      groupName: "DEFAULT_GROUP",
      clusterName: "DEFAULT",
      ip: ipOf(k),
      port: "8080",
      weight: "1",
      enable: "true",
      healthy: "true",
      ephemeral: "true",
      metadata: "{}",
    });
  const beat = (k: number) =>
    query({
      beat: JSON.stringify({ serviceName: grouped(k), ip: ipOf(k), port: 8080, cluster: "DEFAULT", weight: 1, metadata: {}, scheduled: true }),
      serviceName: grouped(k),
    });
  return {
    register: (k) => request(pool, "POST", `${base}/ns/instance?${registration(k)}`, {}),
    renew: (k) => request(pool, "PUT", `${base}/ns/instance/beat?${beat(k)}`, {}, undefined, (text) => !text.includes('"code":20404')),
    close,
  };
}
