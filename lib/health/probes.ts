import "server-only";
import { request } from "node:http";
import { connect } from "node:net";
import { assertAllowedHost, guardedLookup } from "./address-guard";
import type { TProbeStatus } from "./state-machine";

export type TProbeResult = { status: TProbeStatus; output: string; latencyMs: number };

type TProbeTarget = { host: string; port: number; timeoutMs: number; allowLinkLocal: boolean };

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

// What every probe shares: timing, refusing link-local targets before any connection, and one answer.
function probe(target: TProbeTarget, run: (settle: TSettle, host: string) => void): Promise<TProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const settle: TSettle = (status, output) => resolve({ status, output, latencyMs: performance.now() - started });
    try {
      assertAllowedHost({ host: target.host, allowLinkLocal: target.allowLinkLocal });
    } catch (error) {
      return settle("fail", describe(error));
    }
    run(settle, target.host.replace(/^\[|\]$/g, ""));
  });
}

/** GET http://host:port/path: 2xx passing, 429 warning, anything else (a redirect too) critical. */
export function probeHttp({ path, ...target }: TProbeTarget & { path: string }): Promise<TProbeResult> {
  const { port, timeoutMs, allowLinkLocal } = target;
  return probe(target, (settle, host) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const req = request(
      { host, port, path, method: "GET", signal, lookup: guardedLookup({ allowLinkLocal }), agent: false, headers: { "user-agent": "meshdeck-health-check", accept: "*/*" } },
      (res) => {
        const code = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const body = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString("utf8");
          const redirect = code >= 300 && code < 400 ? ` (redirect to ${res.headers.location ?? "?"} not followed)` : "";
          settle(statusOf(code), `HTTP ${code}${redirect}${body ? `: ${body}` : ""}`);
          res.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= maxBodyBytes) finish();
        });
        res.on("end", finish);
        res.on("error", (error) => settle("fail", `HTTP ${code}: ${signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error)}`));
        // A promise settles once: this only matters when the body ends without "end" or "error".
        res.on("close", finish);
      },
    );
    req.on("error", (error) => settle("fail", signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error)));
    req.end();
  });
}

/** Opens a TCP connection to host:port: connected is passing, anything else critical. */
export function probeTcp(target: TProbeTarget): Promise<TProbeResult> {
  const { port, timeoutMs, allowLinkLocal } = target;
  return probe(target, (settle, host) => {
    const socket = connect({ host, port, lookup: guardedLookup({ allowLinkLocal }) });
    const timer = setTimeout(() => {
      socket.destroy();
      settle("fail", `timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      settle("pass", `TCP connect to ${host}:${port} succeeded`);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      settle("fail", describe(error));
    });
  });
}
