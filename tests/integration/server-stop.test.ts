import { afterAll, expect, test } from "vitest";
import { adminAndToken } from "../support/client";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

// A stopping app answers its held long polls at once (nothing changed, connection closed), so services poll
// another replica instead of hanging up to 30 s on one that is going away; then it exits.
let stop: (() => Promise<void>) | undefined;
afterAll(async () => stop?.());

test("on SIGTERM the app answers held config watches with nothing changed, then exits", async () => {
  const app = await startApp({
    name: "server-stop",
    port: await freePort(),
    databaseUrl: "file:.tmp/integration/server-stop.db",
    admin: { email: "stop@meshdeck.test", password: `stop-${Date.now().toString(36)}-pw` },
  });
  stop = app.stop;
  const { admin, token } = await adminAndToken(app.target, "stop-watcher");
  const path = "/api/v1/config/items/dev/stopper/app.json";
  expect((await admin.put(path, { format: "json", content: "{}", message: "first", baseVersion: 0 })).status).toBe(200);
  const held = fetch(`${app.target.baseUrl}/api/v1/config/watch`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ instance: "i-1", items: [{ namespace: "dev", group: "stopper", key: "app.json", version: 1 }], timeout: "30s" }),
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stoppedAt = performance.now();
  const stopped = app.stop();
  const answer = await held;
  expect(performance.now() - stoppedAt).toBeLessThan(3000);
  expect([answer.status, answer.headers.get("connection")]).toEqual([200, "close"]);
  expect(await answer.json()).toEqual({ changed: [] });
  await stopped;
  expect(performance.now() - stoppedAt).toBeLessThan(5000);
  stop = undefined;
});
