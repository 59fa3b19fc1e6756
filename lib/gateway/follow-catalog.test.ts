import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import type { TDiscoveryCatalog } from "@/lib/registry/schemas";
import { followCatalog } from "./follow-catalog";

type TCall = { url: string; authorization: string | undefined; response: ServerResponse };

// A stand-in for Meshdeck's discovery API whose answers the test gives by hand.
async function fakeMeshdeck() {
  const calls: TCall[] = [];
  const server = createServer((request, response) => calls.push({ url: request.url!, authorization: request.headers.authorization, response }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const answer = (call: TCall, status: number, body: unknown) => {
    call.response.writeHead(status, { "content-type": "application/json" });
    call.response.end(JSON.stringify(body));
  };
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls, answer, close };
}

const catalog = (index: number): TDiscoveryCatalog => ({ index, services: [{ service: "orders", index, policy: "p2c", hashHeader: null, instances: [] }] });
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

test("asks once without blocking, then waits past the index of each answer, with the token", async () => {
  const meshdeck = await fakeMeshdeck();
  const got: number[] = [];
  const follower = followCatalog({ url: meshdeck.url, token: "mdk_t", waitS: 30, onCatalog: (answer) => got.push(answer.index), onError: () => {} });
  stops.push(meshdeck.close, follower.stop);
  await expect.poll(() => meshdeck.calls.length).toBe(1);
  expect(meshdeck.calls[0]).toMatchObject({ url: "/api/v1/discovery", authorization: "Bearer mdk_t" });
  meshdeck.answer(meshdeck.calls[0]!, 200, catalog(5));
  await expect.poll(() => meshdeck.calls.length).toBe(2);
  expect(meshdeck.calls[1]!.url).toBe("/api/v1/discovery?index=5&wait=30s");
  // An index that went back (a new database) is taken as it comes: each answer is the whole catalog.
  meshdeck.answer(meshdeck.calls[1]!, 200, catalog(2));
  await expect.poll(() => meshdeck.calls.length).toBe(3);
  expect(meshdeck.calls[2]!.url).toBe("/api/v1/discovery?index=2&wait=30s");
  expect(got).toEqual([5, 2]);
});

test("keeps the last catalog through failures, retrying with a doubling pause, and says when it is back", async () => {
  const meshdeck = await fakeMeshdeck();
  const got: number[] = [];
  const pauses: number[] = [];
  let recovered = 0;
  const follower = followCatalog({
    url: meshdeck.url,
    token: "mdk_t",
    minRetryMs: 20,
    maxRetryMs: 80,
    onCatalog: (answer) => got.push(answer.index),
    onError: (_, retryMs) => pauses.push(retryMs),
    onRecovered: () => recovered++,
  });
  stops.push(meshdeck.close, follower.stop);
  await expect.poll(() => meshdeck.calls.length).toBe(1);
  meshdeck.answer(meshdeck.calls[0]!, 200, catalog(3));
  for (let k = 1; k <= 4; k++) {
    await expect.poll(() => meshdeck.calls.length).toBe(k + 1);
    // A refused token, then answers that are not a catalog: both are failures to wait out.
    meshdeck.answer(meshdeck.calls[k]!, k === 1 ? 401 : 200, k === 1 ? { error: { code: "unauthorized" } } : { index: "x" });
  }
  await expect.poll(() => meshdeck.calls.length).toBe(6);
  expect(pauses).toEqual([20, 40, 80, 80]);
  expect(meshdeck.calls[5]!.url).toBe("/api/v1/discovery?index=3&wait=30s");
  meshdeck.answer(meshdeck.calls[5]!, 200, catalog(4));
  await expect.poll(() => got).toEqual([3, 4]);
  expect(recovered).toBe(1);
});

test("stop() abandons the watch in flight at once", async () => {
  const meshdeck = await fakeMeshdeck();
  const follower = followCatalog({ url: meshdeck.url, token: "mdk_t", onCatalog: () => {}, onError: () => {} });
  stops.push(meshdeck.close);
  await expect.poll(() => meshdeck.calls.length).toBe(1);
  const started = performance.now();
  await follower.stop();
  expect(performance.now() - started).toBeLessThan(500);
});
