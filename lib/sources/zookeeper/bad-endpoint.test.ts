import { expect, test } from "vitest";
import { ZookeeperAdapter } from "./zookeeper-adapter";

// Issue 15: a stored endpoint with port 0 or 99999 (written before the API refused it) made the ZooKeeper client
// throw an uncaughtException from its socket. The adapter now refuses it before the client is made, and says why.
test.each(["127.0.0.1:99999", "127.0.0.1:0", "[::1]:65536"])("endpoint %s is told as an error, and nothing is thrown", async (endpoint) => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  const adapter = new ZookeeperAdapter(
    { name: "bad", kind: "zookeeper", convention: "dubbo", endpoints: [endpoint], prefix: "/dubbo", username: null, password: null, tls: null },
    { minBackoffMs: 20, maxBackoffMs: 50 },
  );
  try {
    const told = new Promise<{ connected: boolean; error?: string }>((resolve) => {
      adapter.start({ onChange: async () => undefined, onState: resolve });
    });
    const state = await told;
    expect(state.connected).toBe(false);
    expect(state.error).toMatch(/is not host:port/);
    // Retries come and go in the backoff; none of them throws.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(uncaught).toEqual([]);
  } finally {
    await adapter.stop();
    process.off("uncaughtException", onUncaught);
  }
});
