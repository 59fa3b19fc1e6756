import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { expect, test } from "vitest";
import { clientResponseHeaders, upstreamRequestHeaders } from "./forwarded-headers";

function incoming(headers: IncomingHttpHeaders, remoteAddress = "10.0.0.9"): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

test.each([
  [
    "hop-by-hop headers and Host are dropped, the client's address and Host are forwarded",
    {
      host: "shop.example",
      connection: "keep-alive",
      "keep-alive": "timeout=5",
      te: "trailers",
      "transfer-encoding": "chunked",
      upgrade: "h2c",
      accept: "*/*",
    },
    { accept: "*/*", "x-forwarded-for": "10.0.0.9", "x-forwarded-proto": "http", "x-forwarded-host": "shop.example" },
  ],
  [
    "headers the Connection header names are dropped too",
    { host: "h", connection: "close, X-Debug-Token", "x-debug-token": "abc", "x-user-id": "7" },
    { "x-user-id": "7", "x-forwarded-for": "10.0.0.9", "x-forwarded-proto": "http", "x-forwarded-host": "h" },
  ],
  [
    "a proxy in front: X-Forwarded-For is appended to, Proto and Host are kept",
    { host: "gateway:3080", "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" },
    { "x-forwarded-for": "203.0.113.7, 10.0.0.9", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" },
  ],
  [
    "proxy credentials and Expect stay with the gateway",
    { host: "h", "proxy-authorization": "Basic eA==", "proxy-connection": "keep-alive", expect: "100-continue", authorization: "Bearer t" },
    { authorization: "Bearer t", "x-forwarded-for": "10.0.0.9", "x-forwarded-proto": "http", "x-forwarded-host": "h" },
  ],
])("upstream request: %s", (_, headers, expected) => {
  expect(upstreamRequestHeaders(incoming(headers))).toEqual(expected);
});

test("response: framing and connection headers are dropped, repeated ones such as Set-Cookie kept whole", () => {
  const headers = clientResponseHeaders({
    connection: "keep-alive, x-trace",
    "keep-alive": "timeout=5",
    "transfer-encoding": "chunked",
    "x-trace": "1",
    "content-type": "text/plain",
    "set-cookie": ["a=1", "b=2"],
  });
  expect(headers).toEqual({ "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
});
