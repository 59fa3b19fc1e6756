import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";

import type { TRegistration } from "../../lib/registry/schemas";

export type { TRegistration };

/** A name no other test (or repeat of this one) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** The registry API as a service calls it: with its bearer token, never with a session. */
export function registryClient(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const instanceUrl = (id: string) => `/api/v1/registry/instances/${encodeURIComponent(id)}`;
  return {
    register: (registration: TRegistration) => request.post("/api/v1/registry/instances", { headers, data: registration }),
    heartbeat: (id: string) => request.put(`${instanceUrl(id)}/heartbeat`, { headers }),
    deregister: (id: string) => request.delete(instanceUrl(id), { headers }),
    listServices: () => request.get("/api/v1/services", { headers }),
  };
}

/** An API token made through the tokens API, as a script would (the test is not about the tokens page). */
export async function createTokenViaApi(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post("/api/v1/tokens", { data: { name } });
  expect(response.status()).toBe(201);
  const { token } = (await response.json()) as { token: string };
  return token;
}
