import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { tokenPermissions, type TPermission } from "@/lib/auth/permissions";
import { adminAndToken } from "../support/client";

const targets = inject("targets");

// What each endpoint of the machine API needs. The list of endpoints is read from the route files below, so a route
// added without a line here fails the first test: every endpoint is held against every permission a token may hold.
const needs: Record<string, TPermission> = {
  "PUT /api/v1/account/password": "account.password",
  "GET /api/v1/alerts": "events.read",
  "POST /api/v1/alerts/preview": "events.read",
  "GET /api/v1/alerts/rules": "events.read",
  "POST /api/v1/alerts/rules": "alerts.manage",
  "GET /api/v1/alerts/rules/[id]": "events.read",
  "PUT /api/v1/alerts/rules/[id]": "alerts.manage",
  "DELETE /api/v1/alerts/rules/[id]": "alerts.manage",
  "GET /api/v1/alerts/rules/export": "events.read",
  "GET /api/v1/alerts/silences": "events.read",
  "GET /api/v1/audit": "audit.read",
  "GET /api/v1/audit/export": "audit.read",
  "GET /api/v1/config": "config.browse",
  "GET /api/v1/config/export": "config.export",
  "POST /api/v1/config/import": "config.publish",
  "GET /api/v1/config/items/[namespace]/[group]": "config.read",
  "GET /api/v1/config/items/[namespace]/[group]/[key]": "config.read",
  "PUT /api/v1/config/items/[namespace]/[group]/[key]": "config.publish",
  "DELETE /api/v1/config/items/[namespace]/[group]/[key]": "config.publish",
  "GET /api/v1/config/items/[namespace]/[group]/[key]/diff": "config.browse",
  "POST /api/v1/config/items/[namespace]/[group]/[key]/gray": "config.publish",
  "POST /api/v1/config/items/[namespace]/[group]/[key]/gray/[outcome]": "config.publish",
  "GET /api/v1/config/items/[namespace]/[group]/[key]/history": "config.browse",
  "POST /api/v1/config/items/[namespace]/[group]/[key]/rollback": "config.publish",
  "GET /api/v1/config/namespaces": "config.read",
  "POST /api/v1/config/namespaces": "namespaces.manage",
  "DELETE /api/v1/config/namespaces/[name]": "namespaces.manage",
  "POST /api/v1/config/watch": "config.read",
  "GET /api/v1/dataplanes": "dataplanes.read",
  "POST /api/v1/dataplanes": "dataplanes.manage",
  "GET /api/v1/dataplanes/[name]": "dataplanes.read",
  "PUT /api/v1/dataplanes/[name]": "dataplanes.manage",
  "DELETE /api/v1/dataplanes/[name]": "dataplanes.manage",
  "GET /api/v1/discovery": "services.read",
  "GET /api/v1/discovery/[name]": "services.read",
  "GET /api/v1/events": "events.read",
  "GET /api/v1/events/summary": "events.read",
  "POST /api/v1/governance/instances": "governance.change",
  "GET /api/v1/incidents": "events.read",
  "GET /api/v1/incidents/[id]": "events.read",
  "GET /api/v1/overview": "services.read",
  "POST /api/v1/registry/instances": "registry.register",
  "DELETE /api/v1/registry/instances/[id]": "registry.register",
  "PUT /api/v1/registry/instances/[id]/heartbeat": "registry.register",
  "GET /api/v1/search": "services.read",
  "GET /api/v1/services": "services.read",
  "GET /api/v1/services/[name]": "services.read",
  "GET /api/v1/services/[name]/health": "services.read",
  "GET /api/v1/services/[name]/metrics": "services.read",
  "PUT /api/v1/services/[name]/objectives": "services.manage",
  "PUT /api/v1/services/[name]/policy": "governance.change",
  "POST /api/v1/services/[name]/retire": "services.manage",
  "GET /api/v1/services/[name]/silences": "services.read",
  "POST /api/v1/services/[name]/silences": "services.manage",
  "GET /api/v1/services/[name]/status": "services.read",
  "DELETE /api/v1/silences/[id]": "services.manage",
  "GET /api/v1/sources": "sources.read",
  "POST /api/v1/sources": "sources.manage",
  "GET /api/v1/sources/[name]": "sources.read",
  "PUT /api/v1/sources/[name]": "sources.manage",
  "DELETE /api/v1/sources/[name]": "sources.manage",
  "GET /api/v1/tokens": "tokens.manage",
  "POST /api/v1/tokens": "tokens.manage",
  "DELETE /api/v1/tokens/[id]": "tokens.manage",
  "GET /api/v1/topology": "services.read",
  "GET /api/v1/users": "users.manage",
  "POST /api/v1/users": "users.manage",
  "PATCH /api/v1/users/[id]": "users.manage",
  "DELETE /api/v1/users/[id]": "users.manage",
  "PUT /api/v1/users/[id]/password": "users.manage",
  "GET /api/v1/webhooks": "webhooks.manage",
  "POST /api/v1/webhooks": "webhooks.manage",
  "DELETE /api/v1/webhooks/[id]": "webhooks.manage",
};

/** Every `METHOD /path` the app routes under app/api/v1 export. */
function routedEndpoints(): string[] {
  const root = join(process.cwd(), "app/api/v1");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((path) => path.endsWith("route.ts"));
  return files.flatMap((file) => {
    const path = `/api/v1/${relative(root, join(root, file)).replace(/\/?route\.ts$/, "")}`.replace(/\/$/, "");
    const methods = [...readFileSync(join(root, file), "utf8").matchAll(/^export const (GET|POST|PUT|PATCH|DELETE)\b/gm)].map((match) => match[1]);
    return methods.map((method) => `${method} ${path}`);
  });
}

// Path parameters naming nothing that exists (and valid, so a permitted call gets past the gate to a 404 or 422):
// nothing any call here is allowed to do changes a thing.
const fill: Record<string, string> = { name: "matrix-none", namespace: "matrix-none", group: "matrix", key: "none", id: "matrixnone", outcome: "promote" };
const concrete = (path: string) => path.replace(/\[(\w+)\]/g, (_, param: string) => fill[param]!);

describe("the endpoint list is the app's", () => {
  test("every route under app/api/v1 has its permission in the table, and the table names no route that is gone", () => {
    expect(routedEndpoints().sort()).toEqual(Object.keys(needs).sort());
  });
});

describe.each(targets)("every endpoint against every permission a token may hold on $name", (target) => {
  const tokens = new Map<TPermission, string>();

  beforeAll(async () => {
    const { admin } = await adminAndToken(target);
    for (const permission of tokenPermissions) {
      const created = await admin.post("/api/v1/tokens", { name: `matrix ${permission}`, permissions: [{ permission }] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      tokens.set(permission, created.body.token as string);
    }
  });

  // Not apiClient: an allowed call may answer something other than JSON (the audit export).
  const call = async (token: string, endpoint: string) => {
    const [method, path] = endpoint.split(" ") as [string, string];
    const body = method === "GET" || method === "DELETE" ? undefined : "{}";
    const response = await fetch(`${target.baseUrl}${concrete(path)}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body,
    });
    const text = await response.text();
    let error: { message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { message?: string } }).error;
    } catch {
      error = undefined;
    }
    return { status: response.status, message: error?.message ?? text.slice(0, 200) };
  };

  test.each(Object.entries(needs))("%s needs %s", async (endpoint, needed) => {
    const seen: string[] = [];
    for (const permission of tokenPermissions) {
      const answer = await call(tokens.get(permission)!, endpoint);
      if (permission === needed) {
        // Past the gate: whatever the endpoint makes of a call naming nothing, never a refusal.
        if (answer.status === 401 || answer.status === 403) seen.push(`${permission}: refused ${answer.status} ${answer.message}`);
      } else if (answer.status !== 403 || !answer.message.startsWith(`this API token lacks ${needed}`)) {
        seen.push(`${permission}: ${answer.status} ${answer.message}`);
      }
    }
    expect(seen).toEqual([]);
  });
});
