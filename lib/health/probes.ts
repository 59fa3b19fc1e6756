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

// Decodes a chunked body as it arrives, across reads: each chunk's data is handed on as a view, nothing is copied.
export class Dechunker {
  /** True once the last chunk and its trailers are read. */
  done = false;
  private left = 0;
  private skip = 0;
  private line = "";
  private trailers = false;

  /** Feeds the next bytes; false when a chunk size is malformed. */
  feed(data: Buffer, out: (piece: Buffer) => void): boolean {
    let i = 0;
    while (i < data.length && !this.done) {
      if (this.left > 0) {
        const n = Math.min(this.left, data.length - i);
        out(data.subarray(i, i + n));
        i += n;
        this.left -= n;
        if (this.left === 0) this.skip = 2;
        continue;
      }
      if (this.skip > 0) {
        i += 1;
        this.skip -= 1;
        continue;
      }
      const lf = data.indexOf(10, i);
      this.line += data.toString("latin1", i, lf < 0 ? data.length : lf);
      if (this.line.length > 4096) return false;
      if (lf < 0) return true;
      i = lf + 1;
      const line = this.line.endsWith("\r") ? this.line.slice(0, -1) : this.line;
      this.line = "";
      // After the last chunk: trailer lines up to an empty one.
      if (this.trailers) {
        if (line === "") this.done = true;
        continue;
      }
      const size = Number.parseInt(line, 16);
      if (Number.isNaN(size)) return false;
      if (size === 0) this.trailers = true;
      else this.left = size;
    }
    return true;
  }
}

type THttpTarget = TProbeTarget & { path: string };

/** What a GET got: its status code, head (status line and headers, latin1) and body as far as it was read. */
export type THttpAnswer = { code: number; head: string; body: Buffer; complete: boolean };

/** Called once per GET: an error's text, or the answer. */
export type TAnswered = (error: string | null, answer: THttpAnswer | null) => void;

// One GET on the connection: its timer, what it has read, and whether the connection had answered before.
type TExchange = {
  socket: Socket;
  reused: boolean;
  timer?: NodeJS.Timeout;
  done: TAnswered;
  headBytes: Buffer | null;
  head: string | null;
  code: number;
  length: number;
  dechunker: Dechunker | null;
  keepAlive: boolean;
  parts: Buffer[];
  bytes: number;
};

// A head longer than this is not an answer a check or a scrape waits for.
const maxHeadBytes = 64 * 1024;

/**
 * GETs one path again and again over a kept connection (HTTP/1.1 keep-alive), on a plain socket with one request
 * line, as HAProxy checks: Node's HTTP client, its agent and message objects per request, cost more than the work.
 * A GET that finds its kept connection closed tries once on a new one. The health checks and the metrics scrapes
 * both use it: `cut` keeps the start of a long body (a check's output), otherwise a body over `maxBody` fails.
 */
export class KeptHttpGet {
  private socket: Socket | null = null;
  private answers = 0;
  private exchange: TExchange | null = null;
  private readonly request: Buffer;

  constructor(
    private readonly target: THttpTarget,
    private readonly options: { userAgent: string; accept: string; maxBody: number; cut: boolean },
  ) {
    const { host, port, path } = target;
    const name = host.includes(":") ? `[${host.replace(/^\[|\]$/g, "").split("%")[0]}]` : host;
    this.request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${name}:${port}\r\nUser-Agent: ${options.userAgent}\r\nAccept: ${options.accept}\r\n\r\n`);
  }

  get(done: TAnswered) {
    const kept = this.socket;
    if (kept) return this.send(kept, true, done);
    let connectTo: TConnectTarget;
    try {
      connectTo = connectTarget(this.target.host);
    } catch (error) {
      return done(describe(error), null);
    }
    this.send(this.open(connectTo), false, done);
  }

  /** Closes the kept connection (the check or scrape stopped). */
  close() {
    this.drop(false);
  }

  private open(connectTo: TConnectTarget): Socket {
    const socket = connect({ ...connectTo, port: this.target.port });
    this.socket = socket;
    this.answers = 0;
    // Listeners for the connection's life, not one set per GET.
    socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
    socket.on("end", () => this.onClosed(socket, null));
    socket.on("close", () => this.onClosed(socket, null));
    socket.on("error", (error) => this.onClosed(socket, error));
    return socket;
  }

  private send(socket: Socket, reused: boolean, done: TAnswered) {
    const { timeoutMs } = this.target;
    const exchange: TExchange = {
      socket,
      reused,
      done,
      headBytes: null,
      head: null,
      code: 0,
      length: -1,
      dechunker: null,
      keepAlive: false,
      parts: [],
      bytes: 0,
    };
    // Times out this GET only: one that answered meanwhile, and any later one, are not touched.
    const timedOut = () => this.exchange === exchange && this.fail(`timed out after ${timeoutMs} ms`);
    exchange.timer = setTimeout(() => afterPendingIo(timedOut), timeoutMs);
    this.exchange = exchange;
    socket.write(this.request);
  }

  private onData(socket: Socket, chunk: Buffer) {
    const exchange = this.exchange;
    // Bytes nobody asked for: the connection is not one to reuse.
    if (!exchange || exchange.socket !== socket) return this.socket === socket ? this.drop(false) : undefined;
    if (exchange.head === null) {
      const bytes = exchange.headBytes ? Buffer.concat([exchange.headBytes, chunk]) : chunk;
      const headEnd = bytes.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        if (bytes.length > maxHeadBytes) return this.fail(`not an HTTP answer: ${bytes.toString("latin1", 0, 200)}`);
        exchange.headBytes = bytes;
        return;
      }
      if (!this.readHead(exchange, bytes.toString("latin1", 0, headEnd))) return;
      chunk = bytes.subarray(headEnd + 4);
    }
    this.readBody(exchange, chunk);
  }

  // The status line and the headers a GET needs: how the body ends and whether the connection stays.
  private readHead(exchange: TExchange, head: string): boolean {
    const status = /^HTTP\/1\.([01]) (\d{3})/.exec(head);
    if (!status) {
      this.fail(`not an HTTP answer: ${head.slice(0, 200)}`);
      return false;
    }
    exchange.head = head;
    const code = (exchange.code = Number(status[2]));
    // 1xx, 204 and 304 answers have no body whatever their headers say.
    const bodiless = code < 200 || code === 204 || code === 304;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    if (bodiless) exchange.length = 0;
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) exchange.dechunker = new Dechunker();
    else if (length !== undefined) exchange.length = Number(length);
    // HTTP/1.0 closes unless asked not to.
    const connection = /\r\nconnection:\s*([^\r\n]*)/i.exec(head)?.[1]?.toLowerCase() ?? "";
    exchange.keepAlive = status[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive");
    return true;
  }

  private readBody(exchange: TExchange, chunk: Buffer) {
    const { dechunker } = exchange;
    if (dechunker) {
      if (!dechunker.feed(chunk, (piece) => this.take(exchange, piece))) return this.fail("a malformed chunked body");
    } else if (exchange.length < 0 || exchange.bytes < exchange.length)
      this.take(exchange, exchange.length < 0 ? chunk : chunk.subarray(0, exchange.length - exchange.bytes));
    if (this.exchange !== exchange) return;
    const complete = dechunker ? dechunker.done : exchange.length >= 0 && exchange.bytes >= exchange.length;
    if (complete) this.answer(exchange, true, exchange.keepAlive);
    else if (exchange.bytes >= this.options.maxBody) {
      if (this.options.cut) this.answer(exchange, false, false);
      else this.fail(`body larger than ${this.options.maxBody / 1024 / 1024} MiB`);
    }
  }

  private take(exchange: TExchange, piece: Buffer) {
    if (piece.length === 0) return;
    exchange.parts.push(piece);
    exchange.bytes += piece.length;
  }

  private onClosed(socket: Socket, error: Error | null) {
    const exchange = this.exchange;
    if (exchange?.socket !== socket) {
      // The target closed an idle connection (its keep-alive timeout, a restart): the next GET opens a new one.
      if (this.socket === socket) this.drop(false);
      return;
    }
    // A kept connection closed before any answer: closed by the target just before the request; one try on a new one.
    if (exchange.reused && exchange.head === null && exchange.headBytes === null) {
      clearTimeout(exchange.timer);
      this.exchange = null;
      this.drop(false);
      return this.get(exchange.done);
    }
    if (error) return this.fail(describe(error));
    if (exchange.head === null) {
      const received = exchange.headBytes?.toString("latin1", 0, 200);
      return this.fail(received ? `not an HTTP answer: ${received}` : "the connection closed without an answer");
    }
    // A body without a length ends with the connection; one with a length or chunks that stopped short is cut.
    this.answer(exchange, exchange.length < 0 && exchange.dechunker === null, false);
  }

  private answer(exchange: TExchange, complete: boolean, keep: boolean) {
    const body = exchange.parts.length === 1 ? exchange.parts[0]! : Buffer.concat(exchange.parts, exchange.bytes);
    this.end(keep, null, { code: exchange.code, head: exchange.head ?? "", body, complete });
  }

  private fail(error: string) {
    this.end(false, error, null);
  }

  private end(keep: boolean, error: string | null, answer: THttpAnswer | null) {
    const exchange = this.exchange;
    if (!exchange) return;
    this.exchange = null;
    clearTimeout(exchange.timer);
    this.answers += 1;
    if (!keep || this.answers >= answersPerConnection) this.drop(true);
    exchange.done(error, answer);
  }

  // Answered and not kept: closed with a reset, as HAProxy closes its checks, so no connection waits in TIME_WAIT.
  private drop(answered: boolean) {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    if (answered && socket.readyState === "open") socket.resetAndDestroy();
    else socket.destroy();
    // A GET still out on it (the check stopped) ends now.
    if (this.exchange?.socket === socket) this.fail("the check stopped");
  }
}

// A kept connection answers at most this many GETs: a target that stopped listening but still answers on the
// connections it has (a graceful drain) is found on the next new one, within this many intervals.
export const answersPerConnection = 30;

/**
 * One instance's HTTP check: GET http://host:port/path, 2xx passing, 429 warning, anything else (a redirect too)
 * critical. Unlike HAProxy, the connection stays open for the next probe while the target keeps it: a new
 * connection per probe, its connect and close, was most of the collector's CPU.
 */
export class HttpCheck {
  private readonly getter: KeptHttpGet;

  constructor(target: THttpTarget) {
    this.getter = new KeptHttpGet(target, { userAgent: "meshdeck-health-check", accept: "*/*", maxBody: maxBodyBytes, cut: true });
  }

  /** Probes once; `done` gets the result (one callback for every probe: no promise each). */
  run(done: (result: TProbeResult) => void) {
    const started = performance.now();
    this.getter.get((error, answer) => {
      const latencyMs = performance.now() - started;
      done(answer ? { status: statusOf(answer.code), output: outputOf(answer), latencyMs } : { status: "fail", output: error ?? "no answer", latencyMs });
    });
  }

  probe(): Promise<TProbeResult> {
    return new Promise((resolve) => this.run(resolve));
  }

  /** Closes the kept connection (the check stopped). */
  close() {
    this.getter.close();
  }
}

// A check's output: its status, where a redirect went, and the start of the body.
function outputOf({ code, head, body }: THttpAnswer): string {
  const location = code >= 300 && code < 400 ? /\r\nlocation:\s*([^\r\n]*)/i.exec(head)?.[1] : undefined;
  const redirect = code >= 300 && code < 400 ? ` (redirect to ${location ?? "?"} not followed)` : "";
  const text = body.toString("utf8", 0, Math.min(body.length, maxBodyBytes));
  return `HTTP ${code}${redirect}${text ? `: ${text}` : ""}`;
}

/** One GET on a new connection, closed after the answer. */
export function probeHttp(target: THttpTarget): Promise<TProbeResult> {
  const check = new HttpCheck(target);
  return check.probe().finally(() => check.close());
}

/**
 * One instance's TCP check: connected is passing, anything else critical; closed right after (a plain close, not
 * a reset: a server that has read nothing yet and handles no socket errors would crash on one). What does not change
 * between probes is worked out once: the address policy's verdict on an IP address (a name is still checked by the
 * lookup at each connection, so the address checked is the one connected to), the options and the outputs.
 */
export class TcpCheck {
  private readonly options: (TConnectTarget & { port: number }) | null = null;
  private readonly passed: string = "";
  private readonly timedOut: string;
  private readonly refused: string = "";

  constructor(private readonly target: TProbeTarget) {
    const { host, port, timeoutMs } = target;
    this.timedOut = `timed out after ${timeoutMs} ms`;
    try {
      const connectTo = connectTarget(host);
      this.options = { ...connectTo, port };
      this.passed = `TCP connect to ${connectTo.host}:${port} succeeded`;
    } catch (error) {
      this.refused = describe(error);
    }
  }

  /** Probes once; `done` gets the result. */
  run(done: (result: TProbeResult) => void) {
    const started = performance.now();
    const { options } = this;
    if (!options) return done({ status: "fail", output: this.refused, latencyMs: 0 });
    const socket = connect(options);
    let timer: NodeJS.Timeout | undefined;
    const end = (status: TProbeStatus, output: string) => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      socket.destroy();
      done({ status, output, latencyMs: performance.now() - started });
    };
    timer = setTimeout(() => afterPendingIo(() => end("fail", this.timedOut)), this.target.timeoutMs);
    socket.once("connect", () => end("pass", this.passed));
    socket.once("error", (error) => end("fail", describe(error)));
  }

  probe(): Promise<TProbeResult> {
    return new Promise((resolve) => this.run(resolve));
  }
}

/** Opens a TCP connection to host:port once. */
export function probeTcp(target: TProbeTarget): Promise<TProbeResult> {
  return new TcpCheck(target).probe();
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
