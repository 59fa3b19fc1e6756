import { afterAll, expect, test } from "vitest";
import { adminAndToken } from "../support/client";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

// A stopping app answers its held long polls at once (nothing changed, connection closed), so services poll
// another replica instead of hanging up to 30 s on one that is going away; then it exits.
let stop: (() => Promise<void>) | undefined;
afterAll(async () => stop?.());

test("on SIGTERM the app answers held config and discovery watches at once, then exits", async () => {
  const app = await startApp({
    name: "server-stop",
    port: await freePort(),
    databaseUrl: "file:.tmp/integration/server-stop.db",
    admin: { email: "stop@meshdeck.test", password: `stop-${Date.now().toString(36)}-pw` },
  });
  stop = app.stop;
  const { admin, token, api } = await adminAndToken(app.target, "stop-watcher");
  const path = "/api/v1/config/items/dev/stopper/app.json";
  expect((await admin.put(path, { format: "json", content: "{}", message: "first", baseVersion: 0 })).status).toBe(200);
  const held = fetch(`${app.target.baseUrl}/api/v1/config/watch`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ instance: "i-1", items: [{ namespace: "dev", group: "stopper", key: "app.json", version: 1 }], timeout: "30s" }),
  });
  expect((await api.post("/api/v1/registry/instances", { service: "stopper", id: "stopper-1", host: "127.0.0.1", port: 7100 })).status).toBe(201);
  const service = await api.get("/api/v1/discovery/stopper");
  const catalog = await api.get("/api/v1/discovery");
  // Timed from the stop: each answer's arrival, not the test's awaiting of it.
  const answeredAt = (call: Promise<Response>) => call.then((response) => ({ response, at: performance.now() }));
  const heldDiscovery = [`/api/v1/discovery/stopper?index=${service.body.index}&wait=30s`, `/api/v1/discovery?index=${catalog.body.index}&wait=30s`].map(
    (path) => answeredAt(fetch(`${app.target.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stoppedAt = performance.now();
  const stopped = app.stop();
  const answer = await held;
  expect(performance.now() - stoppedAt).toBeLessThan(3000);
  expect([answer.status, answer.headers.get("connection")]).toEqual([200, "close"]);
  expect(await answer.json()).toEqual({ changed: [] });
  for (const { response, at } of await Promise.all(heldDiscovery)) {
    expect(at - stoppedAt).toBeLessThan(1000);
    expect([response.status, response.headers.get("connection")]).toEqual([200, "close"]);
    expect(((await response.json()) as { index: number }).index).toBeGreaterThan(0);
  }
  await stopped;
  expect(performance.now() - stoppedAt).toBeLessThan(5000);
  stop = undefined;
});
