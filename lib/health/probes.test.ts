import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { answersPerConnection, Dechunker, HttpCheck, maxBodyBytes, probeHttp, probeTcp, TcpCheck, type TProbeResult } from "./probes";

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

describe("http check on a kept connection", () => {
  // A server of its own, counting the connections it accepted.
  async function counted(answer: (res: ServerResponse) => void = (res) => res.end("ok")) {
    const own = createServer((_req, res) => answer(res));
    let connections = 0;
    own.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    const check = new HttpCheck({ host: "127.0.0.1", port: (own.address() as AddressInfo).port, path: "/", timeoutMs: 800 });
    const close = async () => {
      check.close();
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    };
    return { own, check, connections: () => connections, close };
  }

  test("probes on one connection while the target keeps it", async () => {
    const { check, connections, close } = await counted();
    for (let i = 0; i < 5; i += 1) expect(await check.probe()).toMatchObject({ status: "pass", output: "HTTP 200: ok" });
    expect(connections()).toBe(1);
    await close();
  });

  test("opens a new connection after the target closed the kept one", async () => {
    const { own, check, connections, close } = await counted();
    await check.probe();
    // Whether its close arrived before the next request or after it, the probe passes on a new connection.
    own.closeIdleConnections();
    expect(await check.probe()).toMatchObject({ status: "pass" });
    expect(connections()).toBe(2);
    await close();
  });

  test("a target that stopped is critical on the next probe", async () => {
    const { own, check, close } = await counted();
    await check.probe();
    own.close();
    own.closeAllConnections();
    expect(await check.probe()).toMatchObject({ status: "fail", output: expect.stringContaining("ECONNREFUSED") });
    await close();
  });

  test("a 204 without a length is whole at its headers, and the connection is kept", async () => {
    const { check, connections, close } = await counted((res) => res.writeHead(204).end());
    expect(await check.probe()).toMatchObject({ status: "pass", output: "HTTP 204" });
    expect(await check.probe()).toMatchObject({ status: "pass" });
    expect(connections()).toBe(1);
    await close();
  });

  test("an answer with Connection: close is not reused", async () => {
    const { check, connections, close } = await counted((res) => res.writeHead(200, { connection: "close" }).end("bye"));
    await check.probe();
    await check.probe();
    expect(connections()).toBe(2);
    await close();
  });

  test(`a connection answers at most ${answersPerConnection} probes`, async () => {
    const { check, connections, close } = await counted();
    for (let i = 0; i < answersPerConnection + 1; i += 1) await check.probe();
    expect(connections()).toBe(2);
    await close();
  });
});

describe("tcp probe", () => {
  test("connects to a listening port", async () => {
    const tcp = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const result = await probeTcp({ host: "127.0.0.1", port: (tcp.address() as AddressInfo).port, timeoutMs: 800 });
    await new Promise((resolve) => tcp.close(resolve));
    expect(result.status).toBe("pass");
  });

  test("connects over IPv6", async () => {
    const tcp = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, "::1", resolve));
    const result = await probeTcp({ host: "::1", port: (tcp.address() as AddressInfo).port, timeoutMs: 800 });
    await new Promise((resolve) => tcp.close(resolve));
    expect(result).toMatchObject({ status: "pass", output: expect.stringContaining("::1") });
  });

  test("connects to a name through the checked lookup", async () => {
    const tcp = createTcpServer((socket) => socket.end());
    // On every address, so whichever the name resolves to first answers.
    await new Promise<void>((resolve) => tcp.listen(0, resolve));
    const result = await probeTcp({ host: "localhost", port: (tcp.address() as AddressInfo).port, timeoutMs: 800 });
    await new Promise((resolve) => tcp.close(resolve));
    expect(result).toMatchObject({ status: "pass", output: expect.stringContaining("localhost") });
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

describe("tcp check kept per instance", () => {
  test("probes again and again through one callback, each on a new connection", async () => {
    let connections = 0;
    const tcp = createTcpServer((socket) => {
      connections += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const { port: listening } = tcp.address() as AddressInfo;
    const check = new TcpCheck({ host: "127.0.0.1", port: listening, timeoutMs: 800 });
    const results: TProbeResult[] = [];
    const done = (result: TProbeResult) => results.push(result);
    for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => check.run((result) => (done(result), resolve())));
    // The server counts a connection when it accepts it, which may come after the probe's connect.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => tcp.close(resolve));
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
    expect(results[0]!.output).toBe(`TCP connect to 127.0.0.1:${listening} succeeded`);
    expect(connections).toBe(3);
  });

  test("an address the policy refuses is refused on every probe, without a connection", async () => {
    const check = new TcpCheck({ host: "169.254.169.254", port: 80, timeoutMs: 200 });
    for (let i = 0; i < 2; i += 1) {
      const result = await check.probe();
      expect(result).toMatchObject({ status: "fail", output: expect.stringMatching(/^refused by address policy: /), latencyMs: 0 });
    }
  });

  test("a port that stopped listening is critical on the next probe", async () => {
    const tcp = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const check = new TcpCheck({ host: "127.0.0.1", port: (tcp.address() as AddressInfo).port, timeoutMs: 800 });
    expect(await check.probe()).toMatchObject({ status: "pass" });
    await new Promise((resolve) => tcp.close(resolve));
    expect(await check.probe()).toMatchObject({ status: "fail", output: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("chunked bodies", () => {
  const body = "4\r\nWiki\r\n7;ext=1\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n";

  test("decode the same however the bytes are split across reads", () => {
    for (let split = 1; split < body.length; split += 1) {
      const pieces: Buffer[] = [];
      const dechunker = new Dechunker();
      const bytes = Buffer.from(body);
      expect(dechunker.feed(bytes.subarray(0, split), (piece) => pieces.push(piece))).toBe(true);
      expect(dechunker.done).toBe(false);
      expect(dechunker.feed(bytes.subarray(split), (piece) => pieces.push(piece))).toBe(true);
      expect(dechunker.done).toBe(true);
      expect(Buffer.concat(pieces).toString()).toBe("Wikipedia in \r\nchunks.");
    }
  });

  test("a malformed chunk size is refused", () => {
    expect(new Dechunker().feed(Buffer.from("zz\r\nabc\r\n"), () => undefined)).toBe(false);
  });

  test("a check reads a chunked answer sent in pieces, and keeps the connection", async () => {
    const own = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("still ");
      setTimeout(() => res.end("here"), 20);
    });
    let connections = 0;
    own.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    const check = new HttpCheck({ host: "127.0.0.1", port: (own.address() as AddressInfo).port, path: "/", timeoutMs: 800 });
    expect(await check.probe()).toMatchObject({ status: "pass", output: "HTTP 200: still here" });
    expect(await check.probe()).toMatchObject({ status: "pass", output: "HTTP 200: still here" });
    check.close();
    own.closeAllConnections();
    await new Promise((resolve) => own.close(resolve));
    expect(connections).toBe(1);
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
