import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkPrometheus, queryPrometheus } from "./check-prometheus";

// What Prometheus 2.x answers to POST /api/v1/query with query=up.
const upAnswer = {
  status: "success",
  data: {
    resultType: "vector",
    result: [
      { metric: { __name__: "up", instance: "127.0.0.1:9100", job: "node" }, value: [1732252800.123, "1"] },
      { metric: { __name__: "up", instance: "127.0.0.1:9101", job: "node" }, value: [1732252800.123, "0"] },
    ],
  },
};

// Each base URL on the one server behaves as a different kind of server would.
const bases: Record<string, (res: ServerResponse, body: string) => void> = {
  "/prometheus": (res, body) =>
    new URLSearchParams(body).get("query") === "up"
      ? res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(upAnswer))
      : res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "error", errorType: "bad_data", error: 'invalid parameter "query": parse error' })),
  "/broken": (res) => res.writeHead(500, { "content-type": "text/plain" }).end("internal error"),
  "/html": (res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Grafana</title>"),
  "/moved": (res) => res.writeHead(302, { location: "/prometheus/api/v1/query" }).end(),
  "/slow": (res) => void setTimeout(() => res.writeHead(200).end(JSON.stringify(upAnswer)), 1000),
};

let server: Server;
let port = 0;
let closedPort = 0;
const requests: { method?: string; url?: string; contentType?: string; body: string }[] = [];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, contentType: req.headers["content-type"], body });
      const base = Object.keys(bases).find((prefix) => req.url === `${prefix}/api/v1/query`);
      if (base) bases[base]?.(res, body);
      else res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
    });
  });
  port = await listen(server);
  // A port that was just free and is closed again: nothing listens there.
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise((resolve) => gone.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const at = (base: string) => `http://127.0.0.1:${port}${base}`;

describe("checkPrometheus", () => {
  test("a Prometheus server answers with its targets", async () => {
    requests.length = 0;
    await expect(checkPrometheus({ url: at("/prometheus"), timeoutMs: 500 })).resolves.toEqual({ ok: true, targets: 2, up: 1 });
    expect(requests).toEqual([{ method: "POST", url: "/prometheus/api/v1/query", contentType: "application/x-www-form-urlencoded", body: "query=up" }]);
  });

  test("a trailing slash on the URL makes no difference", async () => {
    await expect(checkPrometheus({ url: `${at("/prometheus")}/`, timeoutMs: 500 })).resolves.toMatchObject({ ok: true });
  });

  // Built lazily: the ports are known only once beforeAll has run.
  test.each([
    { what: "an HTTP 500", url: () => at("/broken"), reason: () => `HTTP 500 from http://127.0.0.1:${port}` },
    { what: "a page that is not JSON", url: () => at("/html"), reason: () => `HTTP 200 from http://127.0.0.1:${port} is not JSON: is this Prometheus?` },
    {
      what: "a wrong path",
      url: () => at("/graph"),
      reason: () => `HTTP 404 from http://127.0.0.1:${port} (give Prometheus's base URL, e.g. http://prometheus:9090)`,
    },
    { what: "a redirect", url: () => at("/moved"), reason: () => "it answered with a redirect, which is not followed" },
    { what: "a server that is too slow", url: () => at("/slow"), reason: () => "no answer within 300 ms" },
    { what: "nothing listening", url: () => `http://127.0.0.1:${closedPort}`, reason: () => `connection refused by 127.0.0.1:${closedPort}` },
    { what: "a port fetch refuses", url: () => "http://127.0.0.1:9", reason: () => "port 9 is one HTTP clients refuse to use" },
    // Refused before any connection is made.
    {
      what: "the cloud metadata address",
      url: () => "http://0xa9fea9fe",
      reason: () =>
        "refused by address policy: 169.254.169.254 is a link-local address (cloud metadata answers there); MESHDECK_ALLOWED_ADDRESSES may allow it",
    },
    {
      what: "a mapped metadata address",
      url: () => "http://[::ffff:a9fe:a9fe]:9090",
      reason: () => expect.stringContaining("refused by address policy: ::ffff:a9fe:a9fe is 169.254.169.254"),
    },
  ])("$what is refused, saying why", async ({ url, reason }) => {
    await expect(checkPrometheus({ url: url(), timeoutMs: 300 })).resolves.toEqual({ ok: false, reason: reason() });
  });
});

describe("queryPrometheus", () => {
  test("returns the vector", async () => {
    await expect(queryPrometheus({ url: at("/prometheus"), promql: "up", timeoutMs: 500 })).resolves.toEqual(upAnswer.data.result);
  });

  test("throws Prometheus's own error for a bad query", async () => {
    await expect(queryPrometheus({ url: at("/prometheus"), promql: "up{", timeoutMs: 500 })).rejects.toThrow('invalid parameter "query": parse error');
  });
});
