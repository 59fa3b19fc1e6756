import "server-only";
import { Agent, request } from "node:http";
import { asError } from "@/lib/errors";
import { connectTarget, type TConnectTarget } from "@/lib/net/policy-lookup";

// A target that sends more than this is cut off and its scrape fails; Prometheus exporters rarely pass 1 MiB.
export const maxScrapeBytes = 16 * 1024 * 1024;

// One kept-alive connection per target, as Prometheus does: no handshake every 10 s.
const agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, keepAliveMsecs: 30_000 });

const accept = "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

export class ScrapeError extends Error {}

export type TScrapeTarget = { host: string; port: number; path: string; timeoutMs: number };

/** GETs a metrics endpoint: 200 only, no redirects, within the timeout and the size cap. */
export function fetchMetrics(target: TScrapeTarget): Promise<{ text: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    let connectTo: TConnectTarget;
    try {
      connectTo = connectTarget(target.host);
    } catch (error) {
      return reject(asError(error));
    }
    const fail = (message: string) => reject(new ScrapeError(message));
    const req = request(
      {
        agent,
        ...connectTo,
        port: target.port,
        path: target.path,
        headers: { accept, "user-agent": "meshdeck-collector" },
        timeout: target.timeoutMs,
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return fail(
            `HTTP ${response.statusCode}${response.statusCode && response.statusCode < 400 && response.statusCode >= 300 ? " (redirects are not followed)" : ""}`,
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxScrapeBytes) {
            req.destroy();
            return fail(`body larger than ${maxScrapeBytes / 1024 / 1024} MiB`);
          }
          chunks.push(chunk);
        });
        response.on("end", () => resolve({ text: Buffer.concat(chunks, size).toString("utf8"), contentType: response.headers["content-type"] }));
        response.on("error", (error) => fail(error.message));
      },
    );
    // The timeout covers the whole scrape, not only idle gaps, so a slow endless body is cut too.
    const deadline = setTimeout(() => {
      req.destroy();
      fail(`timed out after ${target.timeoutMs} ms`);
    }, target.timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => req.destroy(new ScrapeError(`timed out after ${target.timeoutMs} ms`)));
    req.on("error", (error: NodeJS.ErrnoException) =>
      fail(error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message),
    );
    req.end();
  });
}
