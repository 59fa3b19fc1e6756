import { createServer, get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import type { TApiAnswer } from "@/lib/api/endpoint";
import { BesideNextRoutes, sendAnswer, type TBesideNextRoute } from "./beside-next";

const named = (name: string): TBesideNextRoute => Object.assign(() => false, { routeName: name });
const nameOf = (route: TBesideNextRoute | undefined) => (route as { routeName?: string } | undefined)?.routeName;

describe("routes beside Next.js", () => {
  const routes = new BesideNextRoutes();
  routes.add("POST", "/api/v1/registry/instances", named("register"));
  routes.add("PUT", "/api/v1/registry/instances/:id/heartbeat", named("heartbeat"));
  routes.add("DELETE", "/api/v1/registry/instances/:id", named("deregister"));
  routes.add("GET", "/api/v1/discovery", named("catalog"));
  routes.add("GET", "/api/v1/discovery/:name", named("service"));

  test.each([
    ["POST", "/api/v1/registry/instances", "register", {}],
    ["PUT", "/api/v1/registry/instances/orders-1/heartbeat", "heartbeat", { id: "orders-1" }],
    ["DELETE", "/api/v1/registry/instances/orders-1", "deregister", { id: "orders-1" }],
    ["DELETE", "/api/v1/registry/instances/a%3Ab", "deregister", { id: "a%3Ab" }],
    ["GET", "/api/v1/discovery", "catalog", {}],
    ["GET", "/api/v1/discovery/orders", "service", { name: "orders" }],
  ])("%s %s is answered by %s", (method, path, name, params) => {
    const found = routes.find(method, path);
    expect(nameOf(found?.route)).toBe(name);
    expect(found?.params).toEqual(params);
  });

  test.each([
    ["GET", "/api/v1/registry/instances"],
    ["POST", "/api/v1/registry/instances/orders-1"],
    ["PUT", "/api/v1/registry/instances/orders-1"],
    ["PUT", "/api/v1/registry/instances//heartbeat"],
    ["PUT", "/api/v1/registry/instances/orders-1/heartbeat/"],
    ["PUT", "/api/v1/registry/instances/orders-1/heartbeats"],
    ["PUT", "/api/v1/registry/instance/orders-1/heartbeat"],
    ["PUT", "api/v1/registry/instances/orders-1/heartbeat"],
    ["PUT", "http://host/api/v1/registry/instances/orders-1/heartbeat"],
    ["DELETE", "/api/v1/registry/instances/"],
    ["DELETE", "/api/v1/registry/instances/a/b"],
    ["GET", "/api/v1/discovery/orders/extra"],
    ["GET", "/api/v1/discovery/"],
    ["GET", "/api/v1/services"],
    [undefined, "/api/v1/discovery"],
    ["GET", undefined],
  ])("%s %s is left to Next.js", (method, path) => {
    expect(routes.find(method, path)).toBeUndefined();
  });
});

/** What a client receives for `answer` sent by sendAnswer: status, headers as sent (names lowercased), body. */
async function received(answer: TApiAnswer, close: boolean): Promise<{ status: number; headers: [string, string][]; body: string }> {
  const server = createServer((_request, response) => sendAnswer(response, answer, close));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve, reject) => get({ host: "127.0.0.1", port, path: "/" }, resolve).on("error", reject));
    let body = "";
    for await (const chunk of response) body += String(chunk);
    const raw = response.rawHeaders;
    const headers = raw.flatMap((name, i): [string, string][] => (i % 2 === 0 ? [[name.toLowerCase(), raw[i + 1]!]] : []));
    return { status: response.statusCode ?? 0, headers, body };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("answers beside Next.js", () => {
  const security = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "content-security-policy": expect.stringContaining("default-src 'none'") as unknown,
    "cache-control": "no-store",
    "x-meshdeck-served-by": "beside-next",
  };

  test("a JSON answer carries the security headers, its type and length, each once, on a kept connection", async () => {
    const { status, headers, body } = await received({ status: 200, json: '{"health":"passing"}' }, false);
    expect(status).toBe(200);
    expect(body).toBe('{"health":"passing"}');
    expect(Object.fromEntries(headers)).toMatchObject({ ...security, "content-type": "application/json", "content-length": "20", connection: "keep-alive" });
    expect(new Set(headers.map(([name]) => name)).size).toBe(headers.length);
  });

  test("an answer's own headers are sent, but never in place of the fixed ones; close ends the connection", async () => {
    const answer = { status: 503, headers: { "retry-after": "1", "Cache-Control": "max-age=60" }, json: Buffer.from("{}") };
    const { status, headers } = await received(answer, true);
    expect(status).toBe(503);
    expect(Object.fromEntries(headers)).toMatchObject({ ...security, "retry-after": "1", "content-length": "2", connection: "close" });
    expect(new Set(headers.map(([name]) => name)).size).toBe(headers.length);
  });

  test("an answer without a body has no type or length of its own", async () => {
    const { status, headers, body } = await received({ status: 204 }, false);
    expect(status).toBe(204);
    expect(body).toBe("");
    expect(Object.fromEntries(headers)).toMatchObject(security);
    expect(headers.map(([name]) => name)).not.toContain("content-type");
  });
});
