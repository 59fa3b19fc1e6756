import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "vitest";
import type { TProbeResult } from "@/lib/health/probes";
import type { TCheckedInstance } from "./checked-instances";
import { InstanceCheck } from "./instance-check";

test("an HTTP check probes on one kept connection and closes it when stopped", async () => {
  const server = createServer((_req, res) => res.end("ok"));
  // Idle connections are kept for good: only the check can close its own.
  server.keepAliveTimeout = 0;
  let accepted = 0;
  let connectionClosed: Promise<void> = Promise.resolve();
  server.on("connection", (socket) => {
    accepted += 1;
    connectionClosed = new Promise((resolve) => socket.once("close", () => resolve()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const instance: TCheckedInstance = {
    id: "row-1",
    instanceId: "kept-1",
    service: "kept",
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    kind: "http",
    path: "/health",
    intervalMs: 1000,
    timeoutMs: 800,
    rise: 2,
    fall: 2,
    health: "unknown",
    flapping: false,
    lastSuccessAt: null,
  };
  const results: TProbeResult[] = [];
  let settled: () => void = () => undefined;
  const check = new InstanceCheck(instance, { onResult: (_i, result) => (results.push(result), settled()), onWrite: () => undefined });
  for (let i = 0; i < 3; i += 1) {
    const next = new Promise<void>((resolve) => (settled = resolve));
    check.run();
    await next;
  }
  expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
  expect(accepted).toBe(1);
  expect(check.machine.health).toBe("passing");

  // Closes only because the check let go of it (else the test times out).
  check.stop();
  await connectionClosed;
  server.close();
});
