import { request, type Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Balancer } from "@/lib/balancing";
import { AddressRefusedError } from "@/lib/net/address-policy";
import { connectTarget, type TConnectTarget } from "@/lib/net/policy-lookup";
import { clientResponseHeaders, upstreamRequestHeaders } from "./forwarded-headers";
import type { TGatewayMetrics } from "./gateway-metrics";
import type { RoutingTable, TUpstream } from "./routing-table";
import { splitServicePath } from "./service-path";

export type TProxyOptions = {
  table: RoutingTable;
  metrics: TGatewayMetrics;
  /** Keep-alive connections to the instances, shared by every request. */
  agent: Agent;
  /** A new connection not up within this long counts as refused: an idempotent request moves on to another instance. */
  connectTimeoutMs: number;
  /** An instance silent this long (no response, or a stalled body) is given up on: 504. */
  idleTimeoutMs: number;
};

// Methods whose repetition changes nothing more than the first try would (RFC 9110 9.2.2), so a request that never
// reached an instance can go to another one. POST and PATCH are not retried, as HAProxy and Envoy do by default.
const idempotent = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
// Failures before any response that say the connection, not the instance's answer, went wrong.
const connectionFailures = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ECONNECTTIMEOUT"]);

class ProxyFailure extends Error {
  constructor(
    readonly code: "ECONNECTTIMEOUT" | "EIDLETIMEOUT",
    message: string,
  ) {
    super(message);
  }
}

/** Answers with the gateway's own JSON error, in the shape of Meshdeck's API errors. */
export function sendError(outgoing: ServerResponse, status: number, code: string, message: string): void {
  if (outgoing.headersSent) return void outgoing.destroy();
  const body = JSON.stringify({ error: { code, message } });
  outgoing.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  outgoing.end(body);
}

type TAttempt = { instance: TUpstream; upstream: ClientRequest; started: number; done: boolean };

/** One client request on its way to an instance, and to a second one when the first could not be reached. */
class ProxiedRequest {
  private readonly method: string;
  private readonly key: string | undefined;
  private readonly headers: ReturnType<typeof upstreamRequestHeaders>;
  private readonly hasBody: boolean;
  private tried: Set<string> | undefined;
  /** Why the first instance tried was not reached, for the client if no other one is. */
  private firstFailure = "";
  private attempt: TAttempt | undefined;
  private bodyStarted = false;
  private answered = false;
  private clientGone = false;

  constructor(
    private readonly options: TProxyOptions,
    private readonly incoming: IncomingMessage,
    private readonly outgoing: ServerResponse,
    private readonly service: string,
    private readonly path: string,
    private readonly balancer: Balancer<TUpstream>,
  ) {
    this.method = incoming.method ?? "GET";
    const header = balancer.hashKey?.header;
    const value = header === undefined ? undefined : incoming.headers[header];
    this.key = Array.isArray(value) ? value[0] : value;
    this.headers = upstreamRequestHeaders(incoming);
    const length = incoming.headers["content-length"];
    this.hasBody = incoming.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
    outgoing.once("close", () => this.onClientClose());
  }

  send(): void {
    const { tried, key } = this;
    const instance = this.balancer.pick(tried === undefined && key === undefined ? undefined : { key, exclude: tried });
    if (instance === undefined) {
      if (tried === undefined) {
        this.options.metrics.record(this.service, "", this.method, 503, 0);
        return sendError(this.outgoing, 503, "no_instance", `no instance of '${this.service}' takes traffic`);
      }
      return sendError(
        this.outgoing,
        502,
        "bad_gateway",
        `${[...tried].join(", ")} of '${this.service}' could not be reached (${this.firstFailure}) and no other instance takes traffic`,
      );
    }
    let connectTo: TConnectTarget;
    try {
      // The gateway takes no credentials: without the policy anyone could read cloud metadata through it.
      connectTo = connectTarget(instance.host);
    } catch (error) {
      this.options.metrics.record(this.service, instance.id, this.method, 0, 0);
      return this.failed(instance, error as Error & { code?: string });
    }
    this.balancer.acquire(instance.id);
    const upstream = request({ ...connectTo, port: instance.port, method: this.method, path: this.path, headers: this.headers, agent: this.options.agent });
    const attempt: TAttempt = { instance, upstream, started: performance.now(), done: false };
    this.attempt = attempt;
    upstream.setTimeout(this.options.idleTimeoutMs, () =>
      upstream.destroy(new ProxyFailure("EIDLETIMEOUT", `${instance.id} sent nothing for ${this.options.idleTimeoutMs} ms`)),
    );
    upstream.once("socket", (socket) => this.onSocket(upstream, socket, instance));
    upstream.once("response", (response) => this.onResponse(attempt, response));
    upstream.on("error", (error) => this.onUpstreamError(attempt, error));
    if (!this.hasBody) upstream.end();
  }

  private onSocket(upstream: ClientRequest, socket: Socket, instance: TUpstream): void {
    if (!socket.connecting) return this.startBody(upstream);
    const timer = setTimeout(
      () => upstream.destroy(new ProxyFailure("ECONNECTTIMEOUT", `${instance.id} did not accept a connection within ${this.options.connectTimeoutMs} ms`)),
      this.options.connectTimeoutMs,
    );
    socket.once("connect", () => {
      clearTimeout(timer);
      this.startBody(upstream);
    });
    socket.once("close", () => clearTimeout(timer));
  }

  // The body flows only once a connection is up: until then a failure leaves it unread, and the request can still move.
  private startBody(upstream: ClientRequest): void {
    if (!this.hasBody || this.clientGone) return;
    this.bodyStarted = true;
    this.incoming.pipe(upstream);
  }

  private onResponse(attempt: TAttempt, response: IncomingMessage): void {
    this.answered = true;
    const status = response.statusCode ?? 502;
    response.once("close", () => {
      // Closed before its end: the instance went away mid-body, and the client must not take a cut body for a whole one.
      if (!response.complete) this.outgoing.destroy();
      this.finish(attempt, status);
    });
    if (this.clientGone) return void response.destroy();
    this.outgoing.writeHead(status, response.statusMessage, clientResponseHeaders(response.headers));
    response.pipe(this.outgoing);
  }

  private onUpstreamError(attempt: TAttempt, error: Error & { code?: string }): void {
    // After the response began, its own close ends the attempt.
    if (this.answered) return;
    this.finish(attempt, 0);
    this.failed(attempt.instance, error);
  }

  // No response came from the instance: another one is tried when nothing reached this one, else the client hears why.
  private failed(instance: TUpstream, error: Error & { code?: string }): void {
    if (this.clientGone) return;
    // The address policy's refusal came before any connection: like a refused one.
    const unreached = connectionFailures.has(error.code ?? "") || error instanceof AddressRefusedError;
    if (this.tried === undefined && !this.bodyStarted && idempotent.has(this.method) && unreached) {
      this.tried = new Set([instance.id]);
      this.firstFailure = error.message;
      return this.send();
    }
    if (error.code === "EIDLETIMEOUT") return sendError(this.outgoing, 504, "gateway_timeout", `${this.service}: ${error.message}`);
    sendError(this.outgoing, 502, "bad_gateway", `${this.service}: ${instance.id} failed: ${error.message}`);
  }

  private onClientClose(): void {
    if (this.outgoing.writableFinished) return;
    // The client left first: stop the instance's work; the upstream's error or close then ends the attempt.
    this.clientGone = true;
    this.attempt?.upstream.destroy();
  }

  private finish(attempt: TAttempt, code: number): void {
    if (attempt.done) return;
    attempt.done = true;
    this.balancer.release(attempt.instance.id);
    this.options.metrics.record(this.service, attempt.instance.id, this.method, code, (performance.now() - attempt.started) / 1000);
  }
}

/** The gateway's request handler for `/<service>/<path>`: picks an instance by the service's policy and streams both ways. */
export function createProxy(options: TProxyOptions): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  return (incoming, outgoing) => {
    const started = performance.now();
    outgoing.once("close", () =>
      options.metrics.served(incoming.method ?? "GET", outgoing.writableFinished ? outgoing.statusCode : 499, (performance.now() - started) / 1000),
    );
    const target = splitServicePath(incoming.url);
    if (target === undefined) return sendError(outgoing, 404, "not_found", "send requests as /<service>/<path>");
    const balancer = options.table.get(target.service);
    if (balancer === undefined) return sendError(outgoing, 503, "unknown_service", `the gateway knows no service '${target.service}'`);
    new ProxiedRequest(options, incoming, outgoing, target.service, target.path, balancer).send();
  };
}
