import "server-only";
import { execFile } from "node:child_process";
import { connect as connectHttp2 } from "node:http2";
import { connect } from "node:net";
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

/**
 * GET http://host:port/path: 2xx passing, 429 warning, anything else (a redirect too) critical.
 * A plain socket and one request line, as HAProxy checks: a thousand probes a second through
 * Node's full HTTP client cost the collector more than everything else it does.
 */
export function probeHttp(target: TProbeTarget & { path: string }): Promise<TProbeResult> {
  const { port, timeoutMs, path } = target;
  return probe(target, (settle, connectTo) => {
    const { host } = connectTo;
    const socket = connect({ ...connectTo, port });
    let received = "";
    let done = false;
    const finish = (status: TProbeStatus, output: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Answered: closed with a reset, as HAProxy closes its checks, so no connection waits in TIME_WAIT (a thousand a second).
      if (socket.readyState === "open") socket.resetAndDestroy();
      else socket.destroy();
      settle(status, output);
    };
    const timer = setTimeout(() => afterPendingIo(() => finish("fail", `timed out after ${timeoutMs} ms`)), timeoutMs);
    // Decides once the answer is whole, the body cap is reached, or the server closed the connection.
    const read = (closed: boolean) => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      const headerEnd = received.indexOf("\r\n\r\n");
      if (!status || headerEnd < 0) {
        if (closed) finish("fail", received ? `not an HTTP answer: ${received.slice(0, 200)}` : "the connection closed without an answer");
        return;
      }
      const code = Number(status[1]);
      const head = received.slice(0, headerEnd);
      const raw = received.slice(headerEnd + 4);
      const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      const body = chunked ? dechunk(raw) : { text: raw, complete: length !== undefined && Buffer.byteLength(raw) >= Number(length) };
      if (!closed && !body.complete && Buffer.byteLength(body.text) < maxBodyBytes) return;
      const location = /\r\nlocation:\s*([^\r\n]*)/i.exec(head)?.[1];
      const redirect = code >= 300 && code < 400 ? ` (redirect to ${location ?? "?"} not followed)` : "";
      const text = Buffer.from(body.text).subarray(0, maxBodyBytes).toString("utf8");
      finish(statusOf(code), `HTTP ${code}${redirect}${text ? `: ${text}` : ""}`);
    };
    socket.setEncoding("utf8");
    socket.once("connect", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${host.includes(":") ? `[${host.split("%")[0]}]` : host}:${port}\r\nUser-Agent: meshdeck-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: string) => {
      received += chunk;
      read(false);
    });
    socket.once("end", () => read(true));
    socket.once("error", (error) => finish("fail", describe(error)));
  });
}

/** Opens a TCP connection to host:port: connected is passing, anything else critical. */
export function probeTcp(target: TProbeTarget): Promise<TProbeResult> {
  const { port, timeoutMs } = target;
  return probe(target, (settle, connectTo) => {
    const { host } = connectTo;
    const socket = connect({ ...connectTo, port });
    let done = false;
    const timer = setTimeout(
      () =>
        afterPendingIo(() => {
          if (done) return;
          done = true;
          socket.destroy();
          settle("fail", `timed out after ${timeoutMs} ms`);
        }),
      timeoutMs,
    );
    socket.once("connect", () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A plain close, not a reset: a server that has read nothing yet and handles no socket errors would crash on one.
      socket.destroy();
      settle("pass", `TCP connect to ${host}:${port} succeeded`);
    });
    socket.once("error", (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settle("fail", describe(error));
    });
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
