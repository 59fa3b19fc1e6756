// Vitest global setup for the integration tests: the built app, started for real on SQLite and on
// PostgreSQL (MESHDECK_TEST_PG_URL, started by scripts/test.sh), each on its own port.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { assertLocal } from "./local-only";
import { startApp, type TAppTarget } from "./start-app";

declare module "vitest" {
  export interface ProvidedContext {
    targets: TAppTarget[];
  }
}

type TApps = Awaited<ReturnType<typeof startApp>>[];

async function startApps(): Promise<TApps> {
  const pgUrl = process.env.MESHDECK_TEST_PG_URL;
  if (!pgUrl) throw new Error("MESHDECK_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL");
  assertLocal(pgUrl);
  rmSync(".tmp/integration", { recursive: true, force: true });
  mkdirSync(".tmp/integration", { recursive: true });
  const admin = { email: "admin@meshdeck.test", password: randomBytes(12).toString("base64url") };
  // MESHDECK_TEST_APP_PORT moves the two apps off 3101-3102 when another run holds them.
  const port = Number(process.env.MESHDECK_TEST_APP_PORT ?? 3101);
  return Promise.all([
    startApp({ name: "sqlite", port, databaseUrl: "file:.tmp/integration/meshdeck.db", admin }),
    startApp({ name: "postgresql", port: port + 1, databaseUrl: pgUrl, admin }),
  ]);
}

// Both integration projects (vitest.config.mts) run on the same two apps: the first set up starts them, the last
// torn down stops them. Each project loads this file on its own, so what they share hangs on globalThis.
const shared = globalThis as { meshdeckTestApps?: { apps: Promise<TApps>; users: number } };

export default async function setup(project: TestProject) {
  shared.meshdeckTestApps ??= { apps: startApps(), users: 0 };
  const held = shared.meshdeckTestApps;
  held.users += 1;
  const apps = await held.apps;
  project.provide(
    "targets",
    apps.map((app) => app.target),
  );
  return async () => {
    held.users -= 1;
    if (held.users > 0) return;
    shared.meshdeckTestApps = undefined;
    await Promise.all(apps.map((app) => app.stop()));
  };
}
