import "server-only";

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

// fetch hides why a request failed in `cause`; an admin needs the reason, not "fetch failed".
function reasonOf(error: unknown, endpoint: URL, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as (Error & { code?: string; errors?: { code?: string }[] }) | undefined;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (cause?.message === "unexpected redirect") return "it answered with a redirect, which is not followed";
  if (cause?.message === "bad port") return `port ${endpoint.port} is one HTTP clients refuse to use`;
  if (code === "ECONNREFUSED") return `connection refused by ${endpoint.host}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host ${endpoint.hostname} not found`;
  if (cause) return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  return error.message;
}

/** Runs an instant PromQL query over Prometheus's HTTP API; throws why when it does not answer with a vector. */
export async function queryPrometheus({ url, promql, timeoutMs }: { url: string; promql: string; timeoutMs: number }): Promise<TPrometheusVector> {
  const endpoint = new URL("api/v1/query", url.endsWith("/") ? url : `${url}/`);
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ query: promql }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    text = await response.text();
  } catch (error) {
    throw new PrometheusQueryError(reasonOf(error, endpoint, timeoutMs));
  }
  let body: TQueryAnswer | null = null;
  try {
    body = JSON.parse(text) as TQueryAnswer | null;
  } catch {
    // Not JSON: said below, with the status, since a proxy's HTML error page lands here too.
  }
  if (response.ok && body === null) throw new PrometheusQueryError(`HTTP ${response.status} from ${endpoint.origin} is not JSON: is this Prometheus?`, response.status);
  if (!response.ok || body?.status !== "success" || body.data?.resultType !== "vector" || !body.data.result) {
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
