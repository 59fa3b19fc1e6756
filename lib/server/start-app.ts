import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createApiToken, revokeApiTokensNamed } from "@/lib/auth/api-tokens";
import { getAuthSecret } from "@/lib/auth/secret";
import { ensureAdminFromEnv, hasAnyUser } from "@/lib/auth/users";
import { startCollector } from "@/lib/collector/collector";
import { startConsulApi } from "@/lib/compat/consul/serve-consul";
import { resealSecrets } from "@/lib/crypto/reseal-secrets";
import { migrateDatabase } from "@/lib/db/migrate";
import { startEurekaServer } from "@/lib/compat/eureka/server";
import { getEnv, getPublicUrl } from "@/lib/env";
import { seedDemoConfig } from "@/lib/config/publish/seed-demo-config";
import { watchBesideNext } from "@/lib/config/watch/watch-beside-next";
import { startOverrideExpiry } from "@/lib/governance/expire-overrides";
import { startDemoHaproxy } from "@/lib/dataplanes/haproxy/demo-haproxy";
import { behaviours } from "@/demo/services";
import { spawnGateway } from "@/lib/gateway/spawn-gateway";
import { startNacosApi } from "@/lib/compat/nacos/server";
import { log } from "@/lib/log";
import { startWebhookDelivery } from "@/lib/notify/deliver-webhooks";
import { startHeartbeatTracking } from "@/lib/registry/heartbeats";
import { deregisterEndpoint, discoverCatalogEndpoint, discoverServiceEndpoint, heartbeatEndpoint, registerEndpoint } from "@/lib/registry/endpoints";
import { endpointBesideNext, serveBesideNext } from "./beside-next";

const demoTokenName = "demo-fleet";
const gatewayTokenName = "gateway";
const system = { type: "system", name: "meshdeck" } as const;

/** Everything the app process does once before serving: migrate, secrets, first admin, background work. */
export async function startApp() {
  const env = getEnv();
  const applied = await migrateDatabase();
  if (applied.length) log.info(`database migrated: ${applied.join(", ")}`);
  // Secrets written before encryption at rest, or sealed under a previous key, are sealed under the current one.
  const resealed = await resealSecrets();
  if (resealed) log.info(`sealed ${resealed} stored secrets under the current encryption key`);
  await getAuthSecret();
  const admin = await ensureAdminFromEnv({ email: env.MESHDECK_ADMIN_EMAIL, password: env.MESHDECK_ADMIN_PASSWORD });
  if (admin) log.info(`created the first administrator ${admin.email} from MESHDECK_ADMIN_EMAIL`);
  await startHeartbeatTracking({ onError: (error) => log.error("heartbeat tracking failed; retrying", error) });
  startWebhookDelivery({ onError: (error) => log.error("webhook delivery failed; retrying", error) });
  // Every app process looks; each expired override is reverted once, by whichever gets there first.
  startOverrideExpiry();
  serveBesideNext("POST", "/api/v1/config/watch", watchBesideNext);
  // The registry's hot path: the same endpoints as the app routes, without Next's routing per request.
  serveBesideNext("POST", "/api/v1/registry/instances", endpointBesideNext(registerEndpoint));
  serveBesideNext("PUT", "/api/v1/registry/instances/:id/heartbeat", endpointBesideNext(heartbeatEndpoint));
  serveBesideNext("DELETE", "/api/v1/registry/instances/:id", endpointBesideNext(deregisterEndpoint));
  serveBesideNext("GET", "/api/v1/discovery", endpointBesideNext(discoverCatalogEndpoint));
  serveBesideNext("GET", "/api/v1/discovery/:name", endpointBesideNext(discoverServiceEndpoint));
  await startConsulApi();
  if (env.MESHDECK_EUREKA_PORT !== undefined) await startEurekaServer({ host: env.MESHDECK_HOST, port: env.MESHDECK_EUREKA_PORT });
  await startNacosApi();
  // Active checks run here unless separate collectors (`npm run collector`) do them.
  const startInProcessCollector = () => {
    if (env.MESHDECK_COLLECTOR === "in-process") startCollector();
  };

  const url = getPublicUrl();
  const gatewayUrl = env.MESHDECK_GATEWAY === "on" ? await startGateway({ url }) : undefined;
  // With MESHDECK_DEMO_HAPROXY=1 the fleet's calls go through a real HAProxy that Meshdeck drives, not the gateway.
  const haproxy =
    env.MESHDECK_DEMO === "1" && env.MESHDECK_DEMO_HAPROXY === "1"
      ? await startDemoHaproxy({ services: Object.keys(behaviours), host: env.MESHDECK_HOST, port: env.MESHDECK_DEMO_HAPROXY_PORT, actor: system })
      : undefined;
  if (haproxy) tieToApp(haproxy.child, "demo HAProxy");
  if (env.MESHDECK_DEMO === "1") await startDemoFleet({ url, gatewayUrl: haproxy?.url ?? gatewayUrl, onRegistered: startInProcessCollector });
  else startInProcessCollector();
  const signIn = (await hasAnyUser()) ? "sign in with your administrator account" : `no user exists yet: create the first administrator at ${url}/setup`;
  log.info(`Meshdeck is starting on ${url} - open it in a browser and ${signIn}`);
}

let fleet: ChildProcess | undefined;
let gateway: ChildProcess | undefined;

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}

// A child stops with the app. It goes on the app's SIGTERM, not only at its exit: the app waits for
// open connections to close before exiting, and the child's keep-alive calls would keep theirs open.
function tieToApp(child: ChildProcess, name: string) {
  let stopping = false;
  child.on("exit", (code, signal) => {
    if (!stopping) log.warn(`${name} exited (${signal ?? code})`);
  });
  // Nor does the IPC channel hold the app open.
  child.unref();
  child.channel?.unref();
  const stop = () => {
    stopping = true;
    child.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("exit", stop);
}

// The gateway is its own process too, following the catalog through the discovery API with a token
// issued at each start. Waited for until it listens, so the fleet is given its address only if it is
// this app's gateway (and not, say, another copy's on a port already taken).
async function startGateway({ url }: { url: string }): Promise<string | undefined> {
  if (gateway) return undefined;
  const env = getEnv();
  await revokeApiTokensNamed({ actor: system, name: gatewayTokenName });
  const { token } = await createApiToken({ actor: system, name: gatewayTokenName });
  const started = spawnGateway({
    // Only what the gateway needs: never the database URL, the auth secret or the admin password.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      MESHDECK_URL: url,
      MESHDECK_TOKEN: token,
      MESHDECK_HOST: env.MESHDECK_HOST,
      MESHDECK_GATEWAY_PORT: String(env.MESHDECK_GATEWAY_PORT),
      MESHDECK_LOG_LEVEL: env.MESHDECK_LOG_LEVEL,
      MESHDECK_ALLOWED_ADDRESSES: process.env.MESHDECK_ALLOWED_ADDRESSES,
    },
  });
  gateway = started.child;
  tieToApp(gateway, "gateway");
  const gatewayUrl = await started.listening;
  if (gatewayUrl) log.info(`gateway listening on ${gatewayUrl}: it routes /<service>/... (set MESHDECK_GATEWAY=off to run without it)`);
  else log.error(`the gateway did not start on ${env.MESHDECK_HOST}:${env.MESHDECK_GATEWAY_PORT} (see above); the demo fleet calls instances directly`);
  return gatewayUrl;
}

// The demo fleet is its own process of real HTTP servers; it registers through the public API
// with a token issued at each start (the previous one is revoked).
async function startDemoFleet({ url, gatewayUrl, onRegistered }: { url: string; gatewayUrl: string | undefined; onRegistered: () => void }) {
  if (fleet) return;
  // Each demo service reads dev/<service>/behaviour from the config center: version 1 is there for a new user to edit.
  const seeded = await seedDemoConfig();
  if (seeded) log.info(`config center: seeded dev/<service>/behaviour for ${seeded} demo services`);
  await revokeApiTokensNamed({ actor: system, name: demoTokenName });
  const { token } = await createApiToken({ actor: system, name: demoTokenName });
  // tsx as a loader, not its CLI, whose extra process would keep the fleet running after the app died.
  fleet = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "demo", "fleet.ts")], {
    // Only what the fleet needs: never the database URL, the auth secret or the admin password.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      MESHDECK_URL: url,
      MESHDECK_TOKEN: token,
      ...(gatewayUrl ? { MESHDECK_GATEWAY_URL: gatewayUrl } : {}),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  tieToApp(fleet, "demo fleet");
  // Checks wait for the fleet's fresh addresses: after a restart the last run's ports are closed, and
  // probing them would tell a failover story that never happened. A minute at most.
  const registered = once(onRegistered);
  fleet.on("message", (message) => message === "registered" && registered());
  setTimeout(registered, 60_000).unref();
  log.info("demo fleet started (set MESHDECK_DEMO=0 to run without it)");
}
