// A real Prometheus (Debian's /usr/bin/prometheus) for tests and benchmarks: its own temp dir and free port on
// 127.0.0.1, its own process group, stopped and removed with it. Started without a shell.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endServer, freePort, sleep, spawnUntilReady } from "./server-process";

export type TPrometheusOptions = {
  /** `scrape_configs` entries as Prometheus's YAML holds them; written as JSON, which YAML reads. */
  scrapeConfigs: Record<string, unknown>[];
  /** The `global` section; scrapes every second by default so tests see data quickly. */
  global?: Record<string, unknown>;
  binary?: string;
  /** Extra command-line flags. */
  args?: string[];
  readyTimeoutMs?: number;
};

export type TVectorSample = { metric: Record<string, string>; value: number };

export type TPrometheus = {
  baseUrl: string;
  port: number;
  pid: number;
  dir: string;
  /** An instant query, its vector's values as numbers (NaN, +Inf and -Inf included). */
  query(expr: string): Promise<TVectorSample[]>;
  /** Polls a query until `done` accepts its result; throws with the last result after the timeout. */
  waitFor(expr: string, done: (result: TVectorSample[]) => boolean, timeoutMs?: number): Promise<TVectorSample[]>;
  /** Reads what Prometheus logged, to explain a failure. */
  log(): string;
  stop(): Promise<void>;
};

/** Prometheus's JSON writes sample values as strings, with Go's names for the special values. */
function sampleValue(text: string): number {
  if (text === "NaN") return Number.NaN;
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

async function launch(options: TPrometheusOptions, dir: string, port: number) {
  const config = { global: { scrape_interval: "1s", evaluation_interval: "1s", ...options.global }, scrape_configs: options.scrapeConfigs };
  writeFileSync(join(dir, "prometheus.yml"), JSON.stringify(config, null, 2));
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await spawnUntilReady({
    command: options.binary ?? process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus",
    args: [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...(options.args ?? []),
    ],
    dir,
    logFile: join(dir, "prometheus.log"),
    ready: () =>
      fetch(`${baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      ),
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  return server && { server, baseUrl };
}

export async function startPrometheus(options: TPrometheusOptions): Promise<TPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "meshdeck-prometheus-"));
  const log = () => readFileSync(join(dir, "prometheus.log"), "utf8");
  // The free port can be taken between finding it and Prometheus binding it: try another then.
  let started: Awaited<ReturnType<typeof launch>>;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    port = await freePort();
    started = await launch(options, dir, port);
    if (!started && !log().includes("address already in use")) break;
  }
  if (!started) {
    const tail = log().slice(-2000);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Prometheus did not become ready:\n${tail}`);
  }
  const { server, baseUrl } = started;

  const query = async (expr: string): Promise<TVectorSample[]> => {
    const response = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== "success" || !body.data) throw new Error(`query ${expr} failed: ${body.error ?? response.status}`);
    if (body.data.resultType !== "vector") throw new Error(`query ${expr} returned a ${body.data.resultType}, not a vector`);
    return body.data.result.map(({ metric, value }) => ({ metric, value: sampleValue(value[1]) }));
  };

  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    port,
    pid: server.child.pid!,
    dir,
    query,
    log,
    async waitFor(expr, done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = await query(expr);
        if (done(last)) return last;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}; last result ${JSON.stringify(last)}`);
        await sleep(250);
      }
    },
    stop() {
      stopped ??= (async () => {
        await endServer(server, "SIGTERM");
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
