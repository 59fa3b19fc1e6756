import path from "node:path";

// Where the suite points and who it signs in as. playwright.config.ts starts the app with these.
// E2E_PORT moves it off 3200 when another copy of the app already runs there.
export const port = Number(process.env.E2E_PORT ?? 3200);
export const baseURL = `http://127.0.0.1:${port}`;
// The app's gateway listens beside it (E2E_GATEWAY_PORT, else the next port), off the default 3080 another copy may hold.
export const gatewayPort = Number(process.env.E2E_GATEWAY_PORT ?? port + 1);
export const gatewayURL = `http://127.0.0.1:${gatewayPort}`;
// The Consul API (MESHDECK_CONSUL_PORT) beside them: E2E_CONSUL_PORT, else two past the app's port.
export const consulPort = Number(process.env.E2E_CONSUL_PORT ?? port + 2);
// The test OIDC provider (tests/support/oidc-provider.ts) the app's single sign-on points at: E2E_OIDC_PORT, else three past.
export const oidcPort = Number(process.env.E2E_OIDC_PORT ?? port + 3);
export const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
export const adminEmail = "admin@example.com";
export const adminStorageState = path.join(__dirname, "..", ".auth", "admin.json");
export const anonymous = { cookies: [], origins: [] };

/** The admin password: generated once per run by playwright.config.ts and inherited by the workers. */
export function getAdminPassword(): string {
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!password) throw new Error("E2E_ADMIN_PASSWORD is not set; run the suite with `npx playwright test`");
  return password;
}

/** The suite creates users, tokens and instances: it must only ever talk to a server on this machine. */
export function assertLocalTarget(url: string | undefined): void {
  const hostname = url ? new URL(url).hostname : "";
  if (hostname !== "127.0.0.1") throw new Error(`refusing to run end-to-end tests against '${url}': only http://127.0.0.1 is allowed`);
}
