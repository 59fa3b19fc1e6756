import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { chromiumLaunch } from "./e2e/support/chromium";
import { adminEmail, adminStorageState, assertLocalTarget, baseURL, consulPort, gatewayPort, oidcIssuer, port } from "./e2e/support/env";
import { oidcAppEnv } from "./tests/support/oidc-people";

// The config is evaluated again in every worker; workers inherit the env, so the password stays the same.
process.env.E2E_ADMIN_PASSWORD ??= randomBytes(18).toString("base64url");
process.env.E2E_OIDC_SECRET ??= randomBytes(24).toString("base64url");
assertLocalTarget(baseURL);

// A fresh SQLite database under .tmp/ for each run: the suite never touches a shared or remote one.
const databaseDir = ".tmp/e2e";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0, // a flaky test is a bug
  // One browser at a time: on 2 cores, two Chromiums beside the app, its collector, gateway and demo fleet starved the pages' 1 s polls.
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunch,
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "ui", testDir: "e2e/ui", dependencies: ["setup"], use: { storageState: adminStorageState } },
    { name: "api", testDir: "e2e/api", dependencies: ["setup"], use: { storageState: adminStorageState } },
  ],
  webServer: [
    {
      // The OIDC provider single sign-on goes through (e2e/ui/sso.spec.ts); password sign-in stays on for the other specs.
      command: "exec node_modules/.bin/tsx e2e/support/oidc-provider-server.ts",
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // prepare.sh installs, generates and builds only when something changed.
      command: `bash scripts/prepare.sh && rm -rf ${databaseDir} && mkdir -p ${databaseDir} && exec bash scripts/serve.sh`,
      url: `${baseURL}/api/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        MESHDECK_HOST: "127.0.0.1",
        // The server writes times in UTC whatever the machine's zone; the browser's zone is each test's to choose.
        TZ: "UTC",
        DATABASE_URL: `file:${databaseDir}/meshdeck.db`,
        MESHDECK_ADMIN_EMAIL: adminEmail,
        MESHDECK_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
        MESHDECK_DEMO: "1",
        MESHDECK_GATEWAY_PORT: String(gatewayPort),
        MESHDECK_CONSUL_PORT: String(consulPort),
        ...oidcAppEnv({ issuer: oidcIssuer, clientSecret: process.env.E2E_OIDC_SECRET }),
      },
    },
  ],
});
