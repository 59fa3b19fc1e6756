import "server-only";
import { KeptHttpGet } from "@/lib/health/probes";

// A target that sends more than this is cut off and its scrape fails; Prometheus exporters rarely pass 1 MiB.
export const maxScrapeBytes = 16 * 1024 * 1024;

const accept = "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

export class ScrapeError extends Error {}

export type TScrapeTarget = { host: string; port: number; path: string; timeoutMs: number };

/**
 * One target's metrics endpoint, scraped over one kept connection, as Prometheus does: no handshake every 10 s, and
 * the health checks' plain-socket GET instead of Node's HTTP client (its agent, request and message objects per scrape).
 */
export class MetricsEndpoint {
  private readonly getter: KeptHttpGet;

  constructor(target: TScrapeTarget) {
    this.getter = new KeptHttpGet(target, { userAgent: "meshdeck-collector", accept, maxBody: maxScrapeBytes, cut: false });
  }

  /**
   * GETs the metrics: 200 only, no redirects, whole within the timeout (an endless slow body too) and the size cap.
   * The body stays bytes: the parser reads them as they are, with no string made of them.
   */
  fetch(): Promise<{ body: Buffer; contentType: string | undefined }> {
    return new Promise((resolve, reject) =>
      this.getter.get((error, answer) => {
        if (!answer) return reject(new ScrapeError(error ?? "no answer"));
        const { code, head, body, complete } = answer;
        if (code !== 200) return reject(new ScrapeError(`HTTP ${code}${code >= 300 && code < 400 ? " (redirects are not followed)" : ""}`));
        if (!complete) return reject(new ScrapeError("the body ended before its length"));
        resolve({ body, contentType: /\r\ncontent-type:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim() });
      }),
    );
  }

  /** Closes the kept connection (the target is no longer scraped). */
  close() {
    this.getter.close();
  }
}

/** One scrape on a new connection, closed after the answer. */
export function fetchMetrics(target: TScrapeTarget): Promise<{ body: Buffer; contentType: string | undefined }> {
  const endpoint = new MetricsEndpoint(target);
  return endpoint.fetch().finally(() => endpoint.close());
}
