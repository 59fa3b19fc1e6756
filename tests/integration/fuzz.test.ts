import fc from "fast-check";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { querySql } from "../support/database";

const targets = inject("targets");

// Issue 15: random bodies, headers and path segments on every write route, over real HTTP against the real app.
// The invariant: never a 5xx, and a refusal (4xx) stores nothing. Runs are bounded to stay well under a minute.
const runsPerTarget = 220;

// Tables only people's writes fill (background work on other tests' instances changes Instance and health rows).
const countSql = `SELECT
  (SELECT count(*) FROM "User") AS users, (SELECT count(*) FROM "ApiToken") AS tokens, (SELECT count(*) FROM "Source") AS sources,
  (SELECT count(*) FROM "DataPlane") AS dataplanes,
  (SELECT count(*) FROM "Webhook") AS webhooks, (SELECT count(*) FROM "ConfigNamespace") AS namespaces,
  (SELECT count(*) FROM "ConfigItem") AS items, (SELECT count(*) FROM "ConfigVersion") AS versions,
  (SELECT count(*) FROM "ConfigGray") AS grays, (SELECT count(*) FROM "InstanceOverride") AS overrides,
  (SELECT count(*) FROM "Silence") AS silences, (SELECT count(*) FROM "AlertRule") AS alertRules,
  (SELECT count(*) FROM "AuditEvent" WHERE "actorType" <> 'system') AS audits`;

const segment = fc.oneof(
  fc.constantFrom(
    "%ZZ",
    "%C0%AE",
    "%C0%AE%C0%AE",
    "%00",
    "%E0%A4%A",
    "%2e%2e",
    "..",
    "%252e",
    "%F0%9F%92%A9",
    "%u202e",
    "%E2%80%AE",
    "a%2Fb",
    "orders",
    "dev",
    "x",
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 8 }).map((text) => encodeURIComponent(text).replace(/%[0-9A-F]{2}$/, "%G")),
);

type TRoute = { method: string; path: (segments: string[]) => string };
const routes: TRoute[] = [
  { method: "POST", path: () => "/api/v1/registry/instances" },
  { method: "PUT", path: ([id]) => `/api/v1/registry/instances/${id}/heartbeat` },
  { method: "DELETE", path: ([id]) => `/api/v1/registry/instances/${id}` },
  { method: "POST", path: () => "/api/v1/governance/instances" },
  { method: "PUT", path: ([name]) => `/api/v1/services/${name}/policy` },
  { method: "PUT", path: ([name]) => `/api/v1/services/${name}/objectives` },
  { method: "POST", path: () => "/api/v1/config/namespaces" },
  { method: "DELETE", path: ([name]) => `/api/v1/config/namespaces/${name}` },
  { method: "PUT", path: ([ns, group, key]) => `/api/v1/config/items/${ns}/${group}/${key}` },
  { method: "DELETE", path: ([ns, group, key]) => `/api/v1/config/items/${ns}/${group}/${key}` },
  { method: "POST", path: ([ns, group, key]) => `/api/v1/config/items/${ns}/${group}/${key}/rollback` },
  { method: "POST", path: ([ns, group, key]) => `/api/v1/config/items/${ns}/${group}/${key}/gray` },
  { method: "POST", path: ([ns, group, key, outcome]) => `/api/v1/config/items/${ns}/${group}/${key}/gray/${outcome}` },
  { method: "POST", path: ([ns, dup]) => `/api/v1/config/import?namespace=${ns}&namespace=${dup}&dryRun=true` },
  { method: "POST", path: ([ns]) => `/api/v1/config/import?namespace=${ns}&message=fuzz` },
  { method: "POST", path: () => "/api/v1/config/watch" },
  { method: "POST", path: () => "/api/v1/sources" },
  { method: "PUT", path: ([name]) => `/api/v1/sources/${name}` },
  { method: "DELETE", path: ([name]) => `/api/v1/sources/${name}` },
  { method: "POST", path: () => "/api/v1/dataplanes" },
  { method: "PUT", path: ([name]) => `/api/v1/dataplanes/${name}` },
  { method: "DELETE", path: ([name]) => `/api/v1/dataplanes/${name}` },
  { method: "POST", path: ([name]) => `/api/v1/services/${name}/silences` },
  { method: "DELETE", path: ([id]) => `/api/v1/silences/${id}` },
  { method: "POST", path: ([name]) => `/api/v1/services/${name}/retire` },
  { method: "POST", path: () => "/api/v1/alerts/rules" },
  { method: "PUT", path: ([id]) => `/api/v1/alerts/rules/${id}` },
  { method: "DELETE", path: ([id]) => `/api/v1/alerts/rules/${id}` },
  { method: "POST", path: () => "/api/v1/alerts/preview" },
  { method: "POST", path: () => "/api/v1/webhooks" },
  { method: "DELETE", path: ([id]) => `/api/v1/webhooks/${id}` },
  { method: "POST", path: () => "/api/v1/tokens" },
  { method: "DELETE", path: ([id]) => `/api/v1/tokens/${id}` },
  { method: "POST", path: () => "/api/v1/users" },
  { method: "POST", path: () => "/api/auth/callback/credentials" },
];

const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("\u0000", "a\u0000", "\u202e", "\u2066", "\ud800", "169.254.169.254", "::ffff:a9fe:a9fe", "__proto__", "http://127.0.0.1:0/"),
);
const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
// Bodies: near-valid ones with a hostile field, anything JSON can hold, and text that is no body at all.
const body = fc.oneof(
  fc
    .record(
      {
        service: fc.oneof(fc.constant("fuzz"), hostileText),
        id: fc.oneof(fc.constant("fuzz-1"), hostileText),
        host: fc.oneof(fc.constant("127.0.0.1"), hostileText),
        port: fc.oneof(fc.constant(1), fc.integer(), fc.double()),
        name: fc.oneof(fc.constant("fuzz"), hostileText),
        email: fc.oneof(fc.constant("fuzz@meshdeck.test"), hostileText),
        password: fc.oneof(fc.constant("a-long-password"), hostileText),
        role: fc.constantFrom("viewer", "root", "\u0000"),
        url: fc.oneof(fc.constant("http://127.0.0.1:1/hook"), hostileText),
        format: fc.constantFrom("json", "text", "yaml", "nope"),
        content: fc.oneof(hostileText, fc.constant(nested(600, "[", "]")), fc.constant(nested(5000, "- ", ""))),
        message: fc.oneof(fc.constant("fuzz"), hostileText),
        baseVersion: fc.oneof(fc.constant(0), fc.integer(), fc.double()),
        selector: fc.oneof(fc.constant({ metadata: {} }), fc.constant({ service: "fuzz" }), fc.anything({ maxDepth: 3 })),
        change: fc.oneof(fc.constant({ weight: 1 }), fc.anything({ maxDepth: 2 })),
        endpoints: fc.array(fc.oneof(fc.constantFrom("127.0.0.1:0", "127.0.0.1:99999", "[::1]:2181"), hostileText), { maxLength: 3 }),
        kind: fc.constantFrom("etcd", "zookeeper", "consul"),
        convention: fc.constantFrom("url", "dubbo", "x"),
        items: fc.anything({ maxDepth: 3 }),
        meshdeck: fc.constant("config-export"),
        formatVersion: fc.constant(1),
        namespace: fc.oneof(fc.constant("dev"), hostileText),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.anything({ maxDepth: 5, maxKeys: 8 }).map((value) => JSON.stringify(value) ?? "null"),
  fc.constantFrom(
    nested(20_000, "[", "]"),
    `{"a":${nested(20_000, "[", "]")}}`,
    "{",
    "",
    "null",
    '"\\u0000"',
    "x".repeat(70_000),
    `{"name":"${"\\u202e".repeat(10)}"}`,
  ),
);

describe.each(targets)("random writes on $name", (target) => {
  let session: { cookie: string; token: string };
  beforeAll(async () => {
    const { cookie, token } = await adminAndToken(target, unique("fuzz"));
    session = { cookie, token };
  });

  test(`${runsPerTarget} random write requests: never a 5xx, nothing stored on a 4xx`, async () => {
    const host = new URL(target.baseUrl).host;
    const counts = async () =>
      JSON.stringify((await querySql(target, { sql: countSql, args: [] }))[0], (_key, value: unknown) => (typeof value === "bigint" ? Number(value) : value));
    const seen: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(segment, { minLength: 4, maxLength: 4 }),
        body,
        fc.constantFrom("session", "token", "garbage-cookie", "none"),
        fc.constantFrom<string | null>(null, "null", `http://${host}`, "http://evil.example", "http://%zz", "not an origin", "\u0000"),
        fc.constantFrom(
          "application/json",
          "application/json; charset=utf-8",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "",
          "application/json\u0000",
        ),
        async (route, segments, text, auth, origin, contentType) => {
          const headers = new Headers();
          if (contentType) headers.set("content-type", contentType.replace("\u0000", ""));
          if (origin !== null && !origin.includes("\u0000")) headers.set("origin", origin);
          if (auth === "session") headers.set("cookie", session.cookie);
          if (auth === "token") headers.set("authorization", `Bearer ${session.token}`);
          if (auth === "garbage-cookie") headers.set("cookie", "authjs.session-token=%ZZ\u00ff; authjs.csrf-token=; =;;");
          const before = await counts();
          const path = route.path(segments);
          const response = await fetch(`${target.baseUrl}${path}`, { method: route.method, headers, body: text, redirect: "manual" });
          const answer = await response.text();
          seen[response.status] = (seen[response.status] ?? 0) + 1;
          expect(response.status, `${route.method} ${path} -> ${answer.slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) expect(await counts(), `${route.method} ${path} stored rows though refused (${response.status})`).toBe(before);
        },
      ),
      { numRuns: runsPerTarget, endOnFailure: true },
    );
    // The run reached past the front door: some requests were refused by validation, some by auth.
    expect(Object.keys(seen).map(Number)).toEqual(expect.arrayContaining([400, 422]));
  }, 60_000);
});
