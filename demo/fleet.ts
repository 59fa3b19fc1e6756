// The demo fleet: real HTTP services on 127.0.0.1 that register with Meshdeck's registry API,
// heartbeat every second, and serve /health and Prometheus /metrics. Started by the app when
// MESHDECK_DEMO=1; run by hand with MESHDECK_URL and MESHDECK_TOKEN set.
import { createDemoInstance, type TDemoInstance, type TDemoTrouble } from "./instance";
import { RegistryClient } from "./registry-client";

// orders and payments are checked over HTTP by Meshdeck (the defaults: 1 s, 800 ms, rise 2, fall 2);
// the others heartbeat. payments-2 fails for 20 s every 90 s, first 40 s in, so a new user sees a
// failover and a recovery within the first minutes; orders-3 answers slowly.
const fleet = [
  { service: "frontend", instances: 2, zone: ["a", "b"], version: "1.8.2" },
  { service: "orders", instances: 3, zone: ["a", "b", "c"], version: "2.3.0", check: "http" },
  { service: "payments", instances: 2, zone: ["a", "b"], version: "1.4.1", check: "http" },
  { service: "inventory", instances: 3, zone: ["a", "b", "c"], version: "3.0.0" },
  { service: "users", instances: 2, zone: ["a", "c"], version: "5.2.7" },
] as const;

const troubles: Record<string, TDemoTrouble> = {
  "payments-2": { kind: "fails", firstAfterMs: 40_000, everyMs: 90_000, forMs: 20_000 },
  "orders-3": { kind: "slow", minMs: 150, maxMs: 450 },
};

const heartbeatMs = 1000;

async function main() {
  const url = process.env.MESHDECK_URL;
  const token = process.env.MESHDECK_TOKEN;
  if (!url || !token) throw new Error("set MESHDECK_URL and MESHDECK_TOKEN");
  const registry = new RegistryClient({ url, token });

  const instances: TDemoInstance[] = [];
  for (const spec of fleet) {
    for (let i = 0; i < spec.instances; i += 1) {
      const id = `${spec.service}-${i + 1}`;
      const check = "check" in spec ? spec.check : "ttl";
      instances.push(await createDemoInstance({ service: spec.service, id, zone: spec.zone[i] ?? "a", version: spec.version, check, trouble: troubles[id] }));
    }
  }
  await registry.waitUntilReady();
  for (const instance of instances) await registry.register(instance.registration);
  console.log(`demo fleet: ${instances.length} instances of ${fleet.length} services registered with ${url}`);
  // Tells the app that started it: its checks may begin, on these addresses.
  process.send?.("registered");

  const heartbeating = instances.filter((instance) => instance.registration.check?.kind === "ttl");
  const beat = setInterval(() => {
    for (const instance of heartbeating) if (!instance.crashed()) void registry.heartbeat(instance.registration);
  }, heartbeatMs);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(beat);
    await Promise.allSettled(instances.map((instance) => registry.deregister(instance.registration.id)));
    await Promise.allSettled(instances.map((instance) => instance.close()));
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Started by the app with an IPC channel: when the app goes, so does the fleet.
  process.on("disconnect", stop);
}

main().catch((error) => {
  console.error("demo fleet failed:", error);
  process.exit(1);
});
