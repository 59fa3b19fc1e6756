import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { ZCreateApiToken } from "@/lib/auth/api-tokens";
import { ZCreateUser } from "@/lib/auth/users";
import { ZConfigExport } from "@/lib/config/publish/transfer";
import { ZCreateNamespace, ZDeleteConfig, ZEndGray, ZPublishConfig, ZRollbackConfig, ZStartGray, ZWatchConfig } from "@/lib/config/schemas";
import { ZChangeInstances, ZSetServicePolicy } from "@/lib/governance/schemas";
import { ZMetricsSettings } from "@/lib/metrics/metrics-settings";
import { ZCreateWebhook } from "@/lib/notify/webhooks";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { ZSourceInput } from "@/lib/sources/schemas";

// Issue 15: every write endpoint's schema, given anything at all, answers with a result (never throws), and what it
// accepts holds no NUL (which SQLite truncates at and PostgreSQL refuses) anywhere, keys included.
const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
const schemas: [string, z.ZodType, Record<string, unknown>][] = [
  [
    "ZRegisterInstance",
    ZRegisterInstance,
    {
      service: "orders",
      id: "orders-1",
      host: "127.0.0.1",
      port: 8080,
      tags: ["a"],
      metadata: { zone: "a" },
      check: { kind: "http", path: "/health", interval: "1s", timeout: "500ms" },
      metrics: { path: "/metrics" },
    },
  ],
  [
    "ZChangeInstances",
    ZChangeInstances,
    { selector: { service: "orders", tag: "a", metadata: { zone: "a" } }, change: { weight: 5 }, reason: "canary", expiresIn: "1h" },
  ],
  ["ZSetServicePolicy", ZSetServicePolicy, { policy: "consistent-hash", hashHeader: "x-user", protectionThreshold: 0.5, reason: "why" }],
  ["ZPublishConfig", ZPublishConfig, { format: "json", content: '{"a":1}', message: "publish", baseVersion: 0, secret: false }],
  ["ZRollbackConfig", ZRollbackConfig, { version: 1, message: "back", baseVersion: 2 }],
  ["ZStartGray", ZStartGray, { content: "x", message: "gray", baseVersion: 1, instances: ["orders-1"], tags: ["canary"] }],
  ["ZEndGray", ZEndGray, { message: "done" }],
  ["ZDeleteConfig", ZDeleteConfig, { message: "gone", baseVersion: 1 }],
  ["ZCreateNamespace", ZCreateNamespace, { name: "staging", description: "the staging namespace" }],
  [
    "ZWatchConfig",
    ZWatchConfig,
    {
      instance: "orders-1",
      tags: ["a"],
      address: "10.0.0.1:8080",
      timeout: "30s",
      items: [{ namespace: "dev", group: "orders", key: "app.json", version: 1 }],
    },
  ],
  [
    "ZConfigExport",
    ZConfigExport,
    {
      meshdeck: "config-export",
      formatVersion: 1,
      namespace: "dev",
      exportedAt: "2026-01-01T00:00:00Z",
      withheld: ["a/b"],
      items: [{ group: "orders", key: "k", format: "text", content: "x" }],
    },
  ],
  [
    "ZSourceInput",
    ZSourceInput,
    {
      name: "etcd-main",
      kind: "etcd",
      convention: "url",
      endpoints: ["127.0.0.1:2379"],
      prefix: "/services",
      username: "root",
      password: "pw",
      tls: { ca: pem },
    },
  ],
  ["ZCreateUser", ZCreateUser, { email: "a@b.example", name: "Ann", password: "a-long-password", role: "viewer" }],
  ["ZCreateApiToken", ZCreateApiToken, { name: "ci", permissions: [{ permission: "governance.change", services: ["orders*"] }], expiresIn: "30d" }],
  ["ZCreateWebhook", ZCreateWebhook, { url: "https://hooks.example/x", kinds: ["failover"] }],
  ["ZMetricsSettings", ZMetricsSettings, {}],
];

// Text meant to break things: control characters, bidi overrides, lone surrogates, huge and odd numbers as text.
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "/\u0000",
    "/health\u0000",
    "https://hooks.example/\u0000",
    "127.0.0.1:80\u0000",
    "orders\u0000",
    "\u202e",
    "\u2066x",
    "\u0007",
    "\ud800",
    "%00",
    "../../etc",
    "1e309",
    "-0",
    "__proto__",
    "constructor",
  ),
  fc.string({ unit: fc.constantFrom("\u0000", "\u001f", "\u007f", "\u0085", "\u202a", "\u2069", "a", "-", ":", "/"), maxLength: 12 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.anything({
    maxDepth: 4,
    maxKeys: 6,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, -1, 1e308, null, undefined, [], {}, true),
);

function stringsIn(value: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 50) return found;
  if (typeof value === "string") found.push(value);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      found.push(key);
      stringsIn(item, found, depth + 1);
    }
  }
  return found;
}

// Replaces the value at one path of a valid input (a field, or an element of a list, or a key of a map) with `value`.
function mutate(valid: Record<string, unknown>, pathIndex: number, value: unknown, asKey: boolean): unknown {
  const copy = structuredClone(valid);
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (!node || typeof node !== "object") return;
    for (const [key, child] of Object.entries(node)) {
      paths.push([...path, Array.isArray(node) ? Number(key) : key]);
      walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
    }
  };
  walk(copy, []);
  if (paths.length === 0) return { field: value };
  const path = paths[pathIndex % paths.length]!;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (asKey && typeof value === "string" && !Array.isArray(parent)) {
    const kept = parent[last];
    delete parent[last];
    parent[value] = kept;
  } else parent[last] = value;
  return copy;
}

describe.each(schemas)("%s under random input", (_name, schema, valid) => {
  test("the valid sample passes (so the mutations below start from something accepted)", () => {
    expect(schema.safeParse(valid).success).toBe(true);
  });

  test("anything at all is answered, never thrown, and nothing accepted holds NUL", () => {
    fc.assert(
      fc.property(hostileValue, (input) => {
        const result = schema.safeParse(input);
        if (result.success) expect(stringsIn(result.data).some((text) => text.includes("\u0000"))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test("one field of a valid input made hostile is answered, and accepted only without NUL", () => {
    fc.assert(
      fc.property(fc.nat(), hostileValue, fc.boolean(), (pathIndex, value, asKey) => {
        const result = schema.safeParse(mutate(valid, pathIndex, value, asKey));
        if (result.success) expect(stringsIn(result.data).filter((text) => text.includes("\u0000"))).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});
