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

export default async function setup(project: TestProject) {
  const pgUrl = process.env.MESHDECK_TEST_PG_URL;
  if (!pgUrl) throw new Error("MESHDECK_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL");
  assertLocal(pgUrl);
  rmSync(".tmp/integration", { recursive: true, force: true });
  mkdirSync(".tmp/integration", { recursive: true });
  const admin = { email: "admin@meshdeck.test", password: randomBytes(12).toString("base64url") };
  // MESHDECK_TEST_APP_PORT moves the two apps off 3101-3102 when another run holds them.
  const port = Number(process.env.MESHDECK_TEST_APP_PORT ?? 3101);
  const apps = await Promise.all([
    startApp({ name: "sqlite", port, databaseUrl: "file:.tmp/integration/meshdeck.db", admin }),
    startApp({ name: "postgresql", port: port + 1, databaseUrl: pgUrl, admin }),
  ]);
  project.provide(
    "targets",
    apps.map((app) => app.target),
  );
  return async () => {
    await Promise.all(apps.map((app) => app.stop()));
  };
}
