import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { assertLocal } from "./local-only";

export type TAppTarget = { name: string; baseUrl: string; databaseUrl: string; admin: { email: string; password: string } };

/** Starts the built app (server.mjs) in its own process group and waits until it answers. */
export async function startApp({
  name,
  port,
  databaseUrl,
  admin,
  env = {},
}: {
  name: string;
  port: number;
  databaseUrl: string;
  admin: TAppTarget["admin"];
  env?: Record<string, string>;
}) {
  assertLocal(databaseUrl);
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = `.tmp/integration/${name}.log`;
  const child = spawn("bash", ["scripts/serve.sh"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      MESHDECK_HOST: "127.0.0.1",
      MESHDECK_DEMO: "0",
      // Tests that need a gateway start their own, on a free port: two apps here would both want 3080.
      MESHDECK_GATEWAY: "off",
      // Data planes are repaired every second (the least allowed; 5 s by default), so tests of a repair wait 1 s, not 5.
      MESHDECK_DATAPLANE_REPAIR: "1s",
      MESHDECK_ADMIN_EMAIL: admin.email,
      MESHDECK_ADMIN_PASSWORD: admin.password,
      ...env,
    },
  });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    // The app has children (demo fleet, gateway): signal the whole group or a port stays taken.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const timeout = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timeout);
  };

  // kill -9: the whole group at once, nothing flushed or answered.
  const kill = () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${name} app exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${baseUrl}/api/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    // scripts/serve.sh execs node: the child is the server itself.
    if (ok) return { target: { name, baseUrl, databaseUrl, admin }, stop, kill, pid: child.pid };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the ${name} app did not answer within 90 s; see ${logFile}`);
}
