// The demo fleet: real HTTP services on 127.0.0.1 that register with Meshdeck's registry API,
// heartbeat every second, serve /health and Prometheus /metrics, and call each other through
// Meshdeck's gateway (MESHDECK_GATEWAY_URL; without one, straight to instances found through the
// discovery API), under a steady load of made-up users. Started by the app when MESHDECK_DEMO=1;
// run by hand with MESHDECK_URL and MESHDECK_TOKEN set (MESHDECK_DEMO_RPS: load).
import { ConfigClient } from "@/lib/clients/config-client";
import { getEnv } from "@/lib/env";
import { RegistryClient } from "@/lib/clients/registry-client";
import { Discovery } from "./discovery";
import { createDemoInstance, type TDemoInstance, type TDemoTrouble } from "./instance";
import { reachDirectly, reachThroughGateway } from "./peer-client";
import { listDependencies } from "./services";
import { startTraffic } from "./traffic";

// What each service calls is in services.ts: frontend -> users, inventory, orders;
// orders -> inventory, payments; payments -> users. orders and payments are checked over HTTP by
// Meshdeck (the defaults: 1 s, 800 ms, rise 2, fall 2); the others heartbeat.
const fleet = [
  { service: "frontend", instances: 2, zone: ["a", "b"], version: "1.8.2" },
  { service: "orders", instances: 3, zone: ["a", "b", "c"], version: "2.3.0", check: "http" },
  { service: "payments", instances: 2, zone: ["a", "b"], version: "1.4.1", check: "http" },
  { service: "inventory", instances: 3, zone: ["a", "b", "c"], version: "3.0.0" },
  { service: "users", instances: 2, zone: ["a", "c"], version: "5.2.7" },
] as const;

// payments-2 fails, /health and business requests alike, for 20 s every 90 s, first 40 s in, so a
// new user sees a failover and a recovery within the first minutes; orders-3 answers slowly.
const troubles: Record<string, TDemoTrouble> = {
  "payments-2": { kind: "fails", firstAfterMs: 40_000, everyMs: 90_000, forMs: 20_000 },
  "orders-3": { kind: "slow", minMs: 150, maxMs: 450 },
};

const heartbeatMs = 1000;
const rps = Math.max(0, Number(process.env.MESHDECK_DEMO_RPS ?? 20) || 0);

async function main() {
  const { MESHDECK_URL: url, MESHDECK_TOKEN: token, MESHDECK_GATEWAY_URL: gatewayUrl } = getEnv();
  if (!url || !token) throw new Error("set MESHDECK_URL and MESHDECK_TOKEN");
  const registry = new RegistryClient({ url, token });
  // One watch per service for the whole fleet: separate processes would each hold their own, to the same effect.
  // With a gateway, the watches only tell when load may start; the gateway follows the catalog itself.
  const discovery = new Discovery({ url, token });
  const reach = gatewayUrl ? reachThroughGateway(gatewayUrl) : reachDirectly((service) => discovery.pick(service));

  const instances: TDemoInstance[] = [];
  for (const spec of fleet) {
    for (let i = 0; i < spec.instances; i += 1) {
      const id = `${spec.service}-${i + 1}`;
      const check = "check" in spec ? spec.check : "ttl";
      instances.push(
        await createDemoInstance({ service: spec.service, id, zone: spec.zone[i] ?? "a", version: spec.version, check, trouble: troubles[id], reach }),
      );
    }
  }
  await registry.waitUntilReady();
  for (const instance of instances) await registry.register(instance.registration);
  console.log(`demo fleet: ${instances.length} instances of ${fleet.length} services registered with ${url}`);
  // Each instance watches its service's behaviour in the config center, as its own, identified by id and tags for gray releases.
  const config = new ConfigClient({ url, token });
  for (const instance of instances) {
    const { service, id, tags, host, port } = instance.registration;
    config.follow({
      instance: id,
      tags,
      address: `${host}:${port}`,
      items: [{ namespace: "dev", group: service, key: "behaviour" }],
      onUpdate: (update) => instance.applyConfig(update),
      onError: (error) => console.error(`demo fleet: ${id} could not watch its config, retrying every second: ${error.message}`),
    });
  }
  // Tells the app that started it: its checks may begin, on these addresses.
  process.send?.("registered");

  const heartbeating = instances.filter((instance) => instance.registration.check?.kind === "ttl");
  const beat = setInterval(() => {
    for (const instance of heartbeating) if (!instance.crashed()) void registry.heartbeat(instance.registration);
  }, heartbeatMs);

  // eslint-disable-next-line prefer-const -- stop() may run before traffic starts; a const would throw in its TDZ
  let traffic: ReturnType<typeof startTraffic> | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(beat);
    config.stop();
    traffic?.stop();
    discovery.stop();
    await Promise.allSettled(instances.map((instance) => registry.deregister(instance.registration.id)));
    await Promise.allSettled(instances.map((instance) => instance.close()));
    process.exit(0);
  };
  const stopOnSignal = () => {
    stop().catch((error: unknown) => {
      console.error("fleet: stopping failed", error);
      process.exit(1);
    });
  };
  process.on("SIGTERM", stopOnSignal);
  process.on("SIGINT", stopOnSignal);
  // Started by the app with an IPC channel: when the app goes, so does the fleet.
  process.on("disconnect", stopOnSignal);

  // Load starts once callers can find callees; actively checked ones take traffic only after two good checks.
  const followed = ["frontend", ...new Set(fleet.flatMap((spec) => listDependencies(spec.service)))];
  await discovery.follow(followed);
  await discovery.waitForEndpoints(followed);
  if (gatewayUrl) discovery.stop();
  if (stopping || rps === 0) return;
  traffic = startTraffic({ reach, rps });
  console.log(`demo fleet: about ${rps} requests/s to frontend, ${gatewayUrl ? `through the gateway at ${gatewayUrl}` : "calling instances directly"}`);
}

main().catch((error) => {
  console.error("demo fleet failed:", error);
  process.exit(1);
});
