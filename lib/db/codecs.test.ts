import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { catalogChange } from "@/lib/catalog/catalog-change";
import { db } from "./index";
import { migrateDatabase } from "./migrate";
import {
  decodeActorType,
  decodeAuditValue,
  decodeBuckets,
  decodeCheckKind,
  decodeConfigFormat,
  decodeConvention,
  decodeFailoverKind,
  decodeHealth,
  decodeHealthEventState,
  decodePolicy,
  decodeRevert,
  decodeRole,
  decodeRollupScope,
  decodeSettingJson,
  decodeSourceKind,
  decodeSourceTls,
  decodeStringList,
  decodeStringMap,
  decodeTakeover,
  decodeWebhookKinds,
  encodeAuditValue,
  encodeBuckets,
  encodeRevert,
  encodeSourceTls,
  encodeStringList,
  encodeStringMap,
  modelRelations,
  decodeDataPlaneKind,
  decodeHealthMode,
  decodeBackendMap,
  encodeBackendMap,
} from "./codecs";

describe("enum codecs: known values pass, others read as the fallback", () => {
  test.each<[string, (text: string) => unknown, string, unknown, string, unknown]>([
    ["role", decodeRole, "operator", "operator", "root", "viewer"],
    ["health", decodeHealth, "critical", "critical", "sick", "unknown"],
    ["health event state", decodeHealthEventState, "deregistered", "deregistered", "gone", "unknown"],
    ["health event flapping", decodeHealthEventState, "flapping", "flapping", "", "unknown"],
    ["policy", decodePolicy, "p2c", "p2c", "fastest", "weighted-round-robin"],
    ["check kind", decodeCheckKind, "grpc", "grpc", "h2ping", "http"],
    ["config format", decodeConfigFormat, "yaml", "yaml", "toml", "text"],
    ["failover kind", decodeFailoverKind, "outage-end", "outage-end", "meltdown", "failover"],
    ["rollup scope", decodeRollupScope, "edge", "edge", "cluster", "service"],
    ["actor type", decodeActorType, "token", "token", "robot", "system"],
    ["source kind", decodeSourceKind, "consul", "consul", "eureka", "etcd"],
    ["data plane kind", decodeDataPlaneKind, "nginx", "nginx", "envoy", "haproxy"],
    ["data plane health mode", decodeHealthMode, "haproxy", "haproxy", "agent", "meshdeck"],
  ])("%s", (_name, decode, good, decoded, bad, fallback) => {
    expect(decode(good)).toBe(decoded);
    expect(decode(bad)).toBe(fallback);
  });

  test.each([
    ["etcd", "kratos", "kratos"],
    ["zookeeper", "curator", "curator"],
    ["zookeeper", "kratos", "dubbo"],
    ["etcd", "eureka", "url"],
    ["consul", "grpc", "catalog"],
    ["nacos", "grpc", "grpc"],
  ])("convention %s/%s reads as %s", (kind, convention, expected) => {
    expect(decodeConvention({ kind, convention })).toBe(expected);
  });
});

describe("JSON codecs: what was written reads back; bad text reads as the fallback", () => {
  test.each<[string, (text: string) => unknown, string, unknown]>([
    ["list", decodeStringList, '["a","b"]', ["a", "b"]],
    ["list, not JSON", decodeStringList, "[a", []],
    ["list, not strings", decodeStringList, "[1,2]", []],
    ["list, an object", decodeStringList, '{"a":"b"}', []],
    ["map", decodeStringMap, '{"zone":"a"}', { zone: "a" }],
    ["map, not JSON", decodeStringMap, "{", {}],
    ["map, an array", decodeStringMap, '["a"]', {}],
    ["map, a number value", decodeStringMap, '{"n":1}', {}],
    ["takeover", decodeTakeover, '[{"id":"a","weight":100,"share":1}]', [{ id: "a", weight: 100, share: 1 }]],
    ["takeover, not JSON", decodeTakeover, "oops", []],
    ["takeover, wrong shape", decodeTakeover, '[{"id":"a"}]', []],
    ["webhook kinds", decodeWebhookKinds, '["failover","outage"]', ["failover", "outage"]],
    ["webhook kinds, one unknown", decodeWebhookKinds, '["failover","meltdown"]', ["failover"]],
    ["webhook kinds, not JSON", decodeWebhookKinds, "failover", []],
    ["setting", decodeSettingJson, '{"intervalMs":10000}', { intervalMs: 10000 }],
    ["setting, not JSON", decodeSettingJson, "{", undefined],
  ])("%s", (_name, decode, text, expected) => {
    expect(decode(text)).toEqual(expected);
  });

  test.each<[string, string | null, unknown]>([
    ["no revert", null, null],
    ["a revert", '{"weight":100,"enabled":null}', { weight: 100, enabled: null }],
    ["a bad field", '{"weight":"x","enabled":false}', { weight: null, enabled: false }],
    ["not JSON", "{", { weight: null, enabled: null }],
  ])("revert: %s", (_name, text, expected) => {
    expect(decodeRevert(text)).toEqual(expected);
  });

  test.each<[string, string | null, unknown]>([
    ["none", null, null],
    ["a CA", '{"ca":"PEM"}', { ca: "PEM" }],
    ["not JSON", "PEM", null],
    ["wrong shape", '{"ca":1}', null],
  ])("source TLS: %s", (_name, text, expected) => {
    expect(decodeSourceTls(text)).toEqual(expected);
  });

  test.each<[string, string | null, unknown]>([
    ["NULL", null, null],
    ["an object", '{"weight":100}', { weight: 100 }],
    ["a JSON string", '"p2c"', "p2c"],
    ["JSON null", "null", null],
    ["text that is not JSON", "not json", "not json"],
  ])("audit value: %s", (_name, text, expected) => {
    expect(decodeAuditValue(text)).toEqual(expected);
  });

  test.each<[string, string | null, unknown]>([
    ["none", null, null],
    [
      "+Inf as null",
      "[[0.1,4],[null,10]]",
      [
        [0.1, 4],
        [Infinity, 10],
      ],
    ],
    ["not JSON", "[[0.1", null],
    ["wrong shape", '[["a",1]]', null],
  ])("buckets: %s", (_name, text, expected) => {
    expect(decodeBuckets(text)).toEqual(expected);
  });

  test("encoders write what the decoders read", () => {
    expect(decodeStringList(encodeStringList(["a", "b"]))).toEqual(["a", "b"]);
    expect(decodeStringMap(encodeStringMap({ zone: "a" }))).toEqual({ zone: "a" });
    expect(decodeRevert(encodeRevert({ weight: 5, enabled: null }))).toEqual({ weight: 5, enabled: null });
    expect(encodeRevert(null)).toBeNull();
    expect(decodeSourceTls(encodeSourceTls({ ca: "PEM" }))).toEqual({ ca: "PEM" });
    expect(encodeSourceTls(undefined)).toBeNull();
    expect(
      decodeBuckets(
        encodeBuckets([
          [0.5, 2],
          [Infinity, 3],
        ]),
      ),
    ).toEqual([
      [0.5, 2],
      [Infinity, 3],
    ]);
    expect(encodeBuckets(null)).toBeNull();
    expect([encodeAuditValue(undefined), encodeAuditValue(null)]).toEqual([null, null]);
    expect(decodeAuditValue(encodeAuditValue({ weight: 0 }))).toEqual({ weight: 0 });
  });

  test("a fallback list is a new one each time", () => {
    const first = decodeStringList("bad");
    first.push("x");
    expect(decodeStringList("bad")).toEqual([]);
  });
});

describe("the client decodes on every read", () => {
  beforeAll(async () => {
    await migrateDatabase();
    await db.service.create({
      data: {
        name: "codecs",
        policy: "no-such-policy",
        instances: {
          create: [
            {
              instanceId: "codecs-1",
              host: "127.0.0.1",
              port: 9001,
              tags: encodeStringList(["canary"]),
              metadata: encodeStringMap({ zone: "a" }),
              health: "passing",
            },
            { instanceId: "codecs-2", host: "127.0.0.1", port: 9002, tags: "not json", metadata: "[]", health: "sick" },
          ],
        },
      },
    });
  });

  test("select, include and nested relations", async () => {
    const rows = await db.instance.findMany({
      where: { service: { name: "codecs" } },
      orderBy: { instanceId: "asc" },
      select: { tags: true, metadata: true, health: true },
    });
    expect(rows).toEqual([
      { tags: ["canary"], metadata: { zone: "a" }, health: "passing" },
      { tags: [], metadata: {}, health: "unknown" },
    ]);
    const service = await db.service.findUniqueOrThrow({ where: { name: "codecs" }, include: { instances: { orderBy: { instanceId: "asc" } } } });
    expect(service.policy).toBe("weighted-round-robin");
    expect(service.instances.map((instance) => instance.tags)).toEqual([["canary"], []]);
    const nested = await db.instance.findFirstOrThrow({ where: { instanceId: "codecs-1" }, select: { service: { select: { policy: true } } } });
    expect(nested.service.policy).toBe("weighted-round-robin");
  });

  test("inside a catalogChange transaction, and what a write returns", async () => {
    const seen = await catalogChange(async (tx) => {
      const updated = await tx.instance.update({
        where: { source_instanceId: { source: "builtin", instanceId: "codecs-2" } },
        data: { tags: encodeStringList(["fixed"]) },
        select: { tags: true },
      });
      const read = await tx.instance.findUniqueOrThrow({
        where: { source_instanceId: { source: "builtin", instanceId: "codecs-1" } },
        include: { service: true },
      });
      return { updated: updated.tags, tags: read.tags, metadata: read.metadata, policy: read.service.policy };
    });
    expect(seen).toEqual({ updated: ["fixed"], tags: ["canary"], metadata: { zone: "a" }, policy: "weighted-round-robin" });
  });

  test("a decoded column is only there when asked for", async () => {
    const row = await db.instance.findFirstOrThrow({ where: { instanceId: "codecs-1" }, select: { instanceId: true } });
    expect(row).toEqual({ instanceId: "codecs-1" });
  });

  test("groupBy, and findUnique calls Prisma batches into one", async () => {
    const groups = await db.instance.groupBy({ by: ["health"], where: { service: { name: "codecs" } }, orderBy: { health: "asc" } });
    expect(groups.map((group) => group.health).sort()).toEqual(["passing", "unknown"]);
    const where = { source_instanceId: { source: "builtin", instanceId: "codecs-1" } };
    const [a, b] = await Promise.all([db.instance.findUnique({ where, select: { tags: true } }), db.instance.findUnique({ where, select: { tags: true } })]);
    expect([a?.tags, b?.tags]).toEqual([["canary"], ["canary"]]);
  });

  test("rows nested two deep are decoded as their own model", async () => {
    const webhook = await db.webhook.create({ data: { url: "http://127.0.0.1:1/hook", kinds: '["outage"]' } });
    expect(webhook.kinds).toEqual(["outage"]);
    await db.webhookDelivery.create({ data: { webhookId: webhook.id, eventId: "e1", status: "pending", nextAttemptAt: new Date() } });
    const delivery = await db.webhookDelivery.findFirstOrThrow({
      where: { webhookId: webhook.id },
      include: { webhook: { include: { deliveries: { include: { webhook: true } } } } },
    });
    expect(delivery.webhook.kinds).toEqual(["outage"]);
    expect(delivery.webhook.deliveries[0]?.webhook.kinds).toEqual(["outage"]);
  });
});

describe("the relations decodeResult follows", () => {
  test("are the relations of schema.prisma", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
    const names = new Set(models.map(([, name]) => name));
    const found: Record<string, Record<string, string>> = {};
    for (const [, name, body] of models) {
      for (const [, field, type] of body!.matchAll(/^\s+(\w+)\s+(\w+)(?:\[\]|\?)?(?:\s|$)/gm)) {
        if (names.has(type)) (found[name!] ??= {})[field!] = type!;
      }
    }
    expect(found).toEqual(modelRelations);
  });
});

describe("data plane backends", () => {
  test("null is the naming rule; a map round-trips; text that does not decode drives nothing, never everything", () => {
    expect(decodeBackendMap(null)).toBeNull();
    expect(decodeBackendMap(encodeBackendMap({ orders: "be_orders" }))).toEqual({ orders: "be_orders" });
    expect(encodeBackendMap(null)).toBeNull();
    expect(decodeBackendMap("[1,2]")).toEqual({});
    expect(decodeBackendMap("{oops")).toEqual({});
  });
});
