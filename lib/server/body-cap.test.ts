import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MAX_CONFIG_BODY_BYTES, MAX_IMPORT_BYTES } from "@/lib/config/schemas";
import { bodyLimitFor, capBody, defaultBodyLimit } from "./body-cap.mjs";

const limit = 64 * 1024;
// What the route behind the cap received: how many bytes each request's reader saw, and the last one's so far.
const received: number[] = [];
let reading = 0;
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (capBody(req, res, limit)) return;
    let bytes = 0;
    reading = 0;
    req.on("data", (chunk: Buffer) => (reading = bytes += chunk.length));
    req.on("end", () => {
      received.push(bytes);
      res.end(JSON.stringify({ bytes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends `total` bytes in 16 KiB chunks (chunked unless `length` is declared), stopping at the first answer. */
function send({ total, length }: { total: number; length?: number }): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { "content-type": "application/json" };
    if (length !== undefined) headers["content-length"] = length;
    const call = request({ host: "127.0.0.1", port, method: "POST", path: "/api/auth/callback/credentials", headers }, (response: IncomingMessage) => {
      answered = true;
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, sent, body });
        call.destroy();
      });
    });
    call.on("error", (error) => !answered && reject(error));
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!call.write(piece)) return void call.once("drain", pump);
      }
      if (!answered && sent >= total) call.end();
    };
    pump();
  });
}

test("a declared length over the limit is answered 413 before anything is read", async () => {
  const before = received.length;
  const answer = await send({ total: 0, length: limit + 1 });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large" } });
  expect(received.length).toBe(before);
});

test("a chunked body is answered 413 as soon as it passes the limit, and the reader never sees past it", async () => {
  const answer = await send({ total: 100 * 1024 * 1024 });
  expect(answer.status).toBe(413);
  // The client was stopped by the answer long before its 100 MiB were sent.
  expect(answer.sent).toBeLessThan(20 * 1024 * 1024);
  expect(reading).toBeGreaterThan(0);
  expect(reading).toBeLessThanOrEqual(limit);
});

test.each([
  ["chunked", undefined],
  ["with its length", limit],
])("a body at the limit, %s, reaches the route whole", async (_label, length) => {
  const answer = await send({ total: limit, length });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ bytes: limit });
});

test("each route's limit is at least what the route itself accepts", () => {
  expect(bodyLimitFor("/api/v1/config/import")).toBeGreaterThanOrEqual(MAX_IMPORT_BYTES);
  expect(bodyLimitFor("/api/v1/config/items/dev/app/key.json")).toBeGreaterThanOrEqual(MAX_CONFIG_BODY_BYTES);
  expect(bodyLimitFor("/api/auth/callback/credentials")).toBe(defaultBodyLimit);
});
