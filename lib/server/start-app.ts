import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createApiToken, revokeApiTokensNamed } from "@/lib/auth/api-tokens";
import { getAuthSecret } from "@/lib/auth/secret";
import { ensureAdminFromEnv, hasAnyUser } from "@/lib/auth/users";
import { startHealthCollector } from "@/lib/collector/health-collector";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv, getPublicUrl } from "@/lib/env";
import { log } from "@/lib/log";
import { startWebhookDelivery } from "@/lib/notify/deliver-webhooks";
import { startHeartbeatTracking } from "@/lib/registry/heartbeats";

const demoTokenName = "demo-fleet";
const system = { type: "system", name: "meshdeck" } as const;

/** Everything the app process does once before serving: migrate, secrets, first admin, background work. */
export async function startApp() {
  const env = getEnv();
  const applied = await migrateDatabase();
  if (applied.length) log.info(`database migrated: ${applied.join(", ")}`);
  await getAuthSecret();
  const admin = await ensureAdminFromEnv({ email: env.MESHDECK_ADMIN_EMAIL, password: env.MESHDECK_ADMIN_PASSWORD });
  if (admin) log.info(`created the first administrator ${admin.email} from MESHDECK_ADMIN_EMAIL`);
  await startHeartbeatTracking({ onError: (error) => log.error("heartbeat tracking failed; retrying", error) });
  startWebhookDelivery({ onError: (error) => log.error("webhook delivery failed; retrying", error) });
  // Active checks run here unless separate collectors (`npm run collector`) do them.
  const startCollector = () => {
    if (env.MESHDECK_COLLECTOR === "in-process") startHealthCollector();
  };

  const url = getPublicUrl();
  if (env.MESHDECK_DEMO === "1") await startDemoFleet({ url, onRegistered: startCollector });
  else startCollector();
  const signIn = (await hasAnyUser())
    ? "sign in with your administrator account"
    : `no user exists yet: create the first administrator at ${url}/setup`;
  log.info(`Meshdeck is starting on ${url} - open it in a browser and ${signIn}`);
}

let fleet: ChildProcess | undefined;

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}

// The demo fleet is its own process of real HTTP servers; it registers through the public API
// with a token issued at each start (the previous one is revoked).
async function startDemoFleet({ url, onRegistered }: { url: string; onRegistered: () => void }) {
  if (fleet) return;
  await revokeApiTokensNamed({ actor: system, name: demoTokenName });
  const { token } = await createApiToken({ actor: system, name: demoTokenName });
  const tsx = join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  fleet = spawn(process.execPath, [tsx, join(process.cwd(), "demo", "fleet.ts")], {
    // Only what the fleet needs: never the database URL, the auth secret or the admin password.
    env: { PATH: process.env.PATH, NODE_ENV: process.env.NODE_ENV, MESHDECK_URL: url, MESHDECK_TOKEN: token },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  fleet.on("exit", (code, signal) => log.warn(`demo fleet exited (${signal ?? code})`));
  // Checks wait for the fleet's fresh addresses: after a restart the last run's ports are closed, and
  // probing them would tell a failover story that never happened. A minute at most.
  const registered = once(onRegistered);
  fleet.on("message", (message) => message === "registered" && registered());
  setTimeout(registered, 60_000).unref();
  const stop = () => fleet?.kill("SIGTERM");
  process.once("exit", stop);
  log.info("demo fleet started (set MESHDECK_DEMO=0 to run without it)");
}
