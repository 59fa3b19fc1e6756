import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { maxBodyBytes, probeHttp, probeTcp } from "./probes";

// One real HTTP server on 127.0.0.1 whose routes answer the way sick and healthy services do.
const routes: Record<string, (res: ServerResponse, req: IncomingMessage) => void> = {
  "/ok": (res) => res.writeHead(200, { "content-type": "text/plain" }).end("all good"),
  "/busy": (res) => res.writeHead(429).end("slow down"),
  "/broken": (res) => res.writeHead(500).end("database down"),
  "/moved": (res) => res.writeHead(301, { location: "/ok" }).end(),
  "/slow": (res) => void setTimeout(() => res.writeHead(200).end("late"), 1500),
  "/huge": (res) => res.writeHead(200).end("x".repeat(1024 * 1024)),
  "/stall-body": (res) => res.writeHead(200).write("partial"),
};

let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    (routes[req.url ?? ""] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const http = (path: string, timeoutMs = 800) => probeHttp({ host: "127.0.0.1", port, path, timeoutMs });

describe("http probe", () => {
  test.each([
    { path: "/ok", status: "pass", output: "HTTP 200: all good" },
    { path: "/busy", status: "warn", output: "HTTP 429: slow down" },
    { path: "/broken", status: "fail", output: "HTTP 500: database down" },
    { path: "/missing", status: "fail", output: "HTTP 404" },
    { path: "/moved", status: "fail", output: "HTTP 301 (redirect to /ok not followed)" },
  ])("$path: $status", async ({ path, status, output }) => {
    const result = await http(path);
    expect(result).toMatchObject({ status, output });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  test("a redirect is not followed", async () => {
    hits.length = 0;
    await http("/moved");
    expect(hits).toEqual(["/moved"]);
  });

  test.each(["/slow", "/stall-body"])("%s: critical once the timeout runs out", async (path) => {
    const result = await http(path, 300);
    expect(result.status).toBe("fail");
    expect(result.output).toContain("timed out after 300 ms");
    expect(result.latencyMs).toBeGreaterThanOrEqual(290);
    expect(result.latencyMs).toBeLessThan(1000);
  });

  test("keeps at most 4 KiB of the body", async () => {
    const result = await http("/huge");
    expect(result.status).toBe("pass");
    expect(result.output).toBe(`HTTP 200: ${"x".repeat(maxBodyBytes)}`);
  });

  test("a refused connection is critical", async () => {
    const closed = await freePort();
    const result = await probeHttp({ host: "127.0.0.1", port: closed, path: "/", timeoutMs: 800 });
    expect(result).toMatchObject({ status: "fail", output: expect.stringContaining("ECONNREFUSED") });
  });

  // Refused before any connection: the output says so, and nothing fetched reaches the viewers of the check.
  test.each(["169.254.169.254", "[fd00:ec2::254]", "[::ffff:a9fe:4d4d]", "0:0:0:0:0:ffff:a9fe:4d4d", "fd00:ec2:0:0:0:0:0:254", "2852039166"])(
    "refuses %s",
    async (host) => {
      const refused = await probeHttp({ host, port: 80, path: "/", timeoutMs: 200 });
      expect(refused).toMatchObject({ status: "fail", output: expect.stringMatching(/^refused by address policy: /) });
    },
  );
});

describe("tcp probe", () => {
  test("connects to a listening port", async () => {
    const tcp = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const result = await probeTcp({ host: "127.0.0.1", port: (tcp.address() as AddressInfo).port, timeoutMs: 800 });
    await new Promise((resolve) => tcp.close(resolve));
    expect(result.status).toBe("pass");
  });

  test("a closed port is critical", async () => {
    const result = await probeTcp({ host: "127.0.0.1", port: await freePort(), timeoutMs: 800 });
    expect(result).toMatchObject({ status: "fail", output: expect.stringContaining("ECONNREFUSED") });
  });

  test("refuses the cloud metadata address", async () => {
    const result = await probeTcp({ host: "169.254.169.254", port: 80, timeoutMs: 200 });
    expect(result).toMatchObject({ status: "fail", output: expect.stringMatching(/^refused by address policy: 169\.254\.169\.254 is a link-local address/) });
  });
});

// A port that was free a moment ago, so connecting to it is refused.
async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}
