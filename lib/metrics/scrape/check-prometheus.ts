import "server-only";
import { sendOutbound, type TOutboundResponse } from "@/lib/net/outbound-http";

export type TPrometheusVector = { metric: Record<string, string>; value: [number, string] }[];

type TQueryAnswer = { status?: string; error?: string; data?: { resultType?: string; result?: TPrometheusVector } };

export class PrometheusQueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PrometheusQueryError";
  }
}

// An admin needs the reason a connection failed, in words.
function reasonOf(error: unknown, endpoint: URL): string {
  if (!(error instanceof Error)) return String(error);
  const { code } = error as NodeJS.ErrnoException;
  if (code === "ECONNREFUSED") return `connection refused by ${endpoint.host}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host ${endpoint.hostname} not found`;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/** Runs an instant PromQL query over Prometheus's HTTP API; throws why when it does not answer with a vector. */
export async function queryPrometheus({ url, promql, timeoutMs }: { url: string; promql: string; timeoutMs: number }): Promise<TPrometheusVector> {
  const endpoint = new URL("api/v1/query", url.endsWith("/") ? url : `${url}/`);
  let response: TOutboundResponse;
  try {
    response = await sendOutbound({
      url: endpoint,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ query: promql }).toString(),
      timeoutMs,
    });
  } catch (error) {
    throw new PrometheusQueryError(reasonOf(error, endpoint));
  }
  if (response.status >= 300 && response.status < 400) throw new PrometheusQueryError("it answered with a redirect, which is not followed", response.status);
  const { text } = response;
  const ok = response.status >= 200 && response.status < 300;
  let body: TQueryAnswer | null = null;
  try {
    body = JSON.parse(text) as TQueryAnswer | null;
  } catch {
    // Not JSON: said below, with the status, since a proxy's HTML error page lands here too.
  }
  if (ok && body === null) throw new PrometheusQueryError(`HTTP ${response.status} from ${endpoint.origin} is not JSON: is this Prometheus?`, response.status);
  if (!ok || body?.status !== "success" || body.data?.resultType !== "vector" || !body.data.result) {
    throw new PrometheusQueryError(body?.error ?? `HTTP ${response.status} from ${endpoint.origin}`, response.status);
  }
  return body.data.result;
}

export type TPrometheusCheck = { ok: true; targets: number; up: number } | { ok: false; reason: string };

/** Asks Prometheus for `up`, as the collector will each interval: how many targets it scrapes, or why it does not answer. */
export async function checkPrometheus({ url, timeoutMs }: { url: string; timeoutMs: number }): Promise<TPrometheusCheck> {
  try {
    const up = await queryPrometheus({ url, promql: "up", timeoutMs });
    return { ok: true, targets: up.length, up: up.filter((sample) => sample.value[1] === "1").length };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // A 404 is nearly always a URL with a path after Prometheus's own (…/graph, …/api/v1).
    const hint = error instanceof PrometheusQueryError && error.status === 404 ? " (give Prometheus's base URL, e.g. http://prometheus:9090)" : "";
    return { ok: false, reason: `${reason}${hint}` };
  }
}
