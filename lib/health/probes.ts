import "server-only";
import { execFile } from "node:child_process";
import { connect as connectHttp2 } from "node:http2";
import { connect, type Socket } from "node:net";
import { connectTarget, type TConnectTarget } from "@/lib/net/policy-lookup";
import type { TProbeStatus } from "./state-machine";

export type TProbeResult = { status: TProbeStatus; output: string; latencyMs: number };

type TProbeTarget = { host: string; port: number; timeoutMs: number };

// Kept as the check's output: enough for an error page's first lines, not a whole document.
export const maxBodyBytes = 4096;

function describe(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function statusOf(code: number): TProbeStatus {
  if (code >= 200 && code < 300) return "pass";
  return code === 429 ? "warn" : "fail";
}

type TSettle = (status: TProbeStatus, output: string) => void;

// A probe's timeout is decided after the I/O already waiting is read: when the event loop was held up (a long write,
// a collection), answers that arrived in time meanwhile are not timeouts.
function afterPendingIo(decide: () => void) {
  setImmediate(decide);
}

// What every probe shares: timing, the address policy before any connection (its refusal is the output), one answer.
function probe(target: TProbeTarget, run: (settle: TSettle, connectTo: TConnectTarget) => void): Promise<TProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const settle: TSettle = (status, output) => resolve({ status, output, latencyMs: performance.now() - started });
    let connectTo: TConnectTarget;
    try {
      connectTo = connectTarget(target.host);
    } catch (error) {
      return settle("fail", describe(error));
    }
    run(settle, connectTo);
  });
}

// Decodes a chunked body as far as it has arrived; a probe only keeps the start of it anyway.
function dechunk(body: string): { text: string; complete: boolean } {
  let text = "";
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd < 0) return { text, complete: false };
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (Number.isNaN(size)) return { text, complete: false };
    if (size === 0) return { text, complete: true };
    text += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    if (rest.length < lineEnd + 2 + size + 2) return { text, complete: false };
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

type THttpTarget = TProbeTarget & { path: string };

// A kept connection answers at most this many probes: a target that stopped listening but still answers on the
// connections it has (a graceful drain) is found on the next new one, within this many intervals.
export const answersPerConnection = 30;

// One probe on the connection: what it has read, its timer, and whether the connection had answered before.
type TExchange = { socket: Socket; received: string; reused: boolean; timer?: NodeJS.Timeout; settle: TSettle };

/**
 * One instance's HTTP check: GET http://host:port/path, 2xx passing, 429 warning, anything else (a redirect too)
 * critical. A plain socket and one request line, as HAProxy checks; unlike HAProxy, the connection stays open for
 * the next probe while the target keeps it (HTTP/1.1 keep-alive): a new connection per probe, its connect and close,
 * was most of the collector's CPU. A probe that finds its kept connection closed tries once on a new one.
 */
export class HttpCheck {
  private socket: Socket | null = null;
  private answers = 0;
  private exchange: TExchange | null = null;
  private readonly request: string;

  constructor(private readonly target: THttpTarget) {
    const { host, port, path } = target;
    const name = host.includes(":") ? `[${host.replace(/^\[|\]$/g, "").split("%")[0]}]` : host;
    this.request = `GET ${path} HTTP/1.1\r\nHost: ${name}:${port}\r\nUser-Agent: meshdeck-health-check\r\nAccept: */*\r\n\r\n`;
  }

  probe(): Promise<TProbeResult> {
    const kept = this.socket;
    if (kept) {
      const started = performance.now();
      return new Promise((resolve) => this.send(kept, true, (status, output) => resolve({ status, output, latencyMs: performance.now() - started })));
    }
    return probe(this.target, (settle, connectTo) => this.send(this.open(connectTo), false, settle));
  }

  /** Closes the kept connection (the check stopped). */
  close() {
    this.drop(false);
  }

  private open(connectTo: TConnectTarget): Socket {
    const socket = connect({ ...connectTo, port: this.target.port });
    this.socket = socket;
    this.answers = 0;
    socket.setEncoding("utf8");
    // Listeners for the connection's life, not one set per probe.
    socket.on("data", (chunk: string) => this.onData(socket, chunk));
    socket.on("end", () => this.onClosed(socket, null));
    socket.on("close", () => this.onClosed(socket, null));
    socket.on("error", (error) => this.onClosed(socket, error));
    return socket;
  }

  private send(socket: Socket, reused: boolean, settle: TSettle) {
    const { timeoutMs } = this.target;
    const exchange: TExchange = { socket, received: "", reused, settle };
    // Times out this probe only: one that answered meanwhile, and any later one, are not touched.
    const timedOut = () => this.exchange === exchange && this.finish("fail", `timed out after ${timeoutMs} ms`, false);
    exchange.timer = setTimeout(() => afterPendingIo(timedOut), timeoutMs);
    this.exchange = exchange;
    socket.write(this.request);
  }

  private onData(socket: Socket, chunk: string) {
    const exchange = this.exchange;
    // Bytes nobody asked for: the connection is not one to reuse.
    if (!exchange || exchange.socket !== socket) return this.socket === socket ? this.drop(false) : undefined;
    exchange.received += chunk;
    this.read(exchange, false);
  }

  private onClosed(socket: Socket, error: Error | null) {
    const exchange = this.exchange;
    if (exchange?.socket !== socket) {
      // The target closed an idle connection (its keep-alive timeout, a restart): the next probe opens a new one.
      if (this.socket === socket) this.drop(false);
      return;
    }
    // A kept connection closed before any answer: closed by the target just before the request; one try on a new one.
    if (exchange.reused && exchange.received === "") {
      clearTimeout(exchange.timer);
      this.exchange = null;
      this.drop(false);
      const settle = exchange.settle;
      let connectTo: TConnectTarget;
      try {
        connectTo = connectTarget(this.target.host);
      } catch (failure) {
        return settle("fail", describe(failure));
      }
      return this.send(this.open(connectTo), false, settle);
    }
    if (error) return this.finish("fail", describe(error), false);
    this.read(exchange, true);
  }

  // Decides once the answer is whole, the body cap is reached, or the server closed the connection.
  private read(exchange: TExchange, closed: boolean) {
    const { received } = exchange;
    const status = /^HTTP\/1\.([01]) (\d{3})/.exec(received);
    const headerEnd = received.indexOf("\r\n\r\n");
    if (!status || headerEnd < 0) {
      if (closed) this.finish("fail", received ? `not an HTTP answer: ${received.slice(0, 200)}` : "the connection closed without an answer", false);
      return;
    }
    const code = Number(status[2]);
    const head = received.slice(0, headerEnd);
    const raw = received.slice(headerEnd + 4);
    const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    // 1xx, 204 and 304 answers have no body whatever their headers say.
    const bodiless = code < 200 || code === 204 || code === 304;
    const complete = bodiless || (length !== undefined && Buffer.byteLength(raw) >= Number(length));
    const body = chunked && !bodiless ? dechunk(raw) : { text: bodiless ? "" : raw, complete };
    if (!closed && !body.complete && Buffer.byteLength(body.text) < maxBodyBytes) return;
    const location = /\r\nlocation:\s*([^\r\n]*)/i.exec(head)?.[1];
    const redirect = code >= 300 && code < 400 ? ` (redirect to ${location ?? "?"} not followed)` : "";
    // A text of n UTF-16 units is at most 3n bytes: a short one fits without being measured.
    const text = body.text.length * 3 <= maxBodyBytes ? body.text : Buffer.from(body.text).subarray(0, maxBodyBytes).toString("utf8");
    // Kept only when the answer ended where it said and the target did not ask to close (HTTP/1.0 closes unless asked not to).
    const connection = /\r\nconnection:\s*([^\r\n]*)/i.exec(head)?.[1]?.toLowerCase() ?? "";
    const keep = !closed && body.complete && (status[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive"));
    this.finish(statusOf(code), `HTTP ${code}${redirect}${text ? `: ${text}` : ""}`, keep);
  }

  private finish(status: TProbeStatus, output: string, keep: boolean) {
    const exchange = this.exchange;
    if (!exchange) return;
    this.exchange = null;
    clearTimeout(exchange.timer);
    this.answers += 1;
    if (!keep || this.answers >= answersPerConnection) this.drop(true);
    exchange.settle(status, output);
  }

  // Answered and not kept: closed with a reset, as HAProxy closes its checks, so no connection waits in TIME_WAIT.
  private drop(answered: boolean) {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    if (answered && socket.readyState === "open") socket.resetAndDestroy();
    else socket.destroy();
    const exchange = this.exchange;
    // A probe still out on it (the check stopped) ends now.
    if (exchange?.socket === socket) this.finish("fail", "the check stopped", false);
  }
}

/** One GET on a new connection, closed after the answer. */
export function probeHttp(target: THttpTarget): Promise<TProbeResult> {
  const check = new HttpCheck(target);
  return check.probe().finally(() => check.close());
}

/** Opens a TCP connection to host:port: connected is passing, anything else critical. */
export function probeTcp(target: TProbeTarget): Promise<TProbeResult> {
  const { port, timeoutMs } = target;
  return probe(target, (settle, connectTo) => {
    const { host } = connectTo;
    let close = () => undefined as void;
    let done = false;
    const end = (status: TProbeStatus, output: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A plain close, not a reset: a server that has read nothing yet and handles no socket errors would crash on one.
      close();
      settle(status, output);
    };
    const timer = setTimeout(() => afterPendingIo(() => end("fail", `timed out after ${timeoutMs} ms`)), timeoutMs);
    const connected = () => end("pass", `TCP connect to ${host}:${port} succeeded`);
    // Resolving a name (and checking its addresses) is net.connect's lookup; node's internal handles are not used.
    const socket = connect({ ...connectTo, port });
    close = () => void socket.destroy();
    socket.once("connect", connected);
    socket.once("error", (error) => end("fail", describe(error)));
  });
}

// grpc.health.v1 HealthCheckResponse.status: SERVING is 1; NOT_SERVING, UNKNOWN and SERVICE_UNKNOWN are critical.
const grpcServing = 1;

/** grpc.health.v1.Health/Check over HTTP/2 (no TLS): SERVING passing, any other answer or error critical. */
export function probeGrpc({ service, ...target }: TProbeTarget & { service: string }): Promise<TProbeResult> {
  const { port, timeoutMs } = target;
  return probe(target, (settle, connectTo) => {
    // HealthCheckRequest { string service = 1; } in a gRPC frame: no compression flag, 4-byte length, the message.
    const name = Buffer.from(service);
    const message = name.length ? Buffer.concat([Buffer.from([0x0a, name.length]), name]) : Buffer.alloc(0);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
    const session = connectHttp2(`http://${connectTo.host.includes(":") ? `[${connectTo.host}]` : connectTo.host}:${port}`, {
      createConnection: () => connect({ ...connectTo, port }),
    });
    let done = false;
    const finish = (status: TProbeStatus, output: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      session.destroy();
      settle(status, output);
    };
    const timer = setTimeout(() => finish("fail", `timed out after ${timeoutMs} ms`), timeoutMs);
    session.on("error", (error) => finish("fail", describe(error)));
    const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" });
    let body = Buffer.alloc(0);
    stream.on("data", (chunk: Buffer) => (body = Buffer.concat([body, chunk]).subarray(0, maxBodyBytes)));
    // An error comes in the trailers, or alone in the headers (a trailers-only answer).
    const onStatus = (headers: Record<string, string | string[] | number | undefined>) => {
      const code = Number(headers["grpc-status"] ?? 0);
      const message = headers["grpc-message"];
      if (code !== 0) finish("fail", `gRPC status ${code}: ${decodeURIComponent(typeof message === "string" ? message : "")}`);
    };
    stream.on("response", onStatus);
    stream.on("trailers", onStatus);
    stream.on("end", () => {
      // HealthCheckResponse { ServingStatus status = 1; }: field 1 varint after the 5-byte frame header.
      const status = body[5] === 0x08 ? (body[6] ?? 0) : 0;
      finish(status === grpcServing ? "pass" : "fail", `gRPC health: ${["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"][status] ?? status}`);
    });
    stream.on("error", (error) => finish("fail", describe(error)));
    stream.end(frame);
  });
}

/** Runs a command (no shell): exit 0 passing, exit 1 warning, anything else critical, as Consul's script checks. */
export function probeScript({ args, timeoutMs }: { args: string[]; timeoutMs: number }): Promise<TProbeResult> {
  const started = performance.now();
  const [command, ...rest] = args;
  return new Promise((resolve) => {
    execFile(command ?? "", rest, { timeout: timeoutMs, maxBuffer: maxBodyBytes, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.slice(0, maxBodyBytes);
      const code = (error as { code?: unknown } | null)?.code;
      const status: TProbeStatus = error === null ? "pass" : code === 1 ? "warn" : "fail";
      const why = error === null || code === 1 ? output : error.killed ? `timed out after ${timeoutMs} ms` : `${describe(error)}${output ? `: ${output}` : ""}`;
      resolve({ status, output: why, latencyMs: performance.now() - started });
    });
  });
}
