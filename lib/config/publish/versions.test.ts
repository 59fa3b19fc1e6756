import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { watchConfig } from "../watch/client-read";
import { endGray, startGray } from "./gray";
import { deleteConfig, publishConfig, rollbackConfig } from "./publish";
import { ZPublishConfig, ZStartGray, ZWatchConfig } from "../schemas";
import { applyImport, parseImportFile, previewImport } from "./transfer";

const operator = { type: "user", id: "u-op", name: "op@example.com", role: "operator" } as const;
const admin = { type: "user", id: "u-admin", name: "admin@example.com", role: "admin" } as const;
const service = { type: "token", id: "t-1", name: "svc", grants: [{ permission: "config.read" }] } as const;
let next = 0;
const newRef = () => ({ namespace: "dev", group: `svc-${++next}`, key: "app.json" });
const publish = (ref: ReturnType<typeof newRef>, input: Record<string, unknown>, actor: typeof operator | typeof admin = operator) =>
  publishConfig({ actor, ref, input: ZPublishConfig.parse({ format: "json", message: "test", ...input }) });
const audits = (group: string) => db.auditEvent.findMany({ where: { service: group }, orderBy: { at: "asc" } });

beforeAll(async () => {
  await migrateDatabase();
});

describe("versions", () => {
  test("each publish is the next immutable version; a rollback publishes old content as a new one", async () => {
    const ref = newRef();
    expect(await publish(ref, { content: '{"a":1}', baseVersion: 0 })).toMatchObject({ version: 1 });
    expect(await publish(ref, { content: '{"a":2}', baseVersion: 1 })).toMatchObject({ version: 2 });
    expect(await rollbackConfig({ actor: operator, ref, input: { version: 1, message: "back", baseVersion: 2 } })).toMatchObject({
      version: 3,
      fromVersion: 1,
    });
    const versions = await db.configVersion.findMany({ where: { item: ref }, orderBy: { version: "asc" } });
    expect(versions.map((row) => [row.version, row.content, row.kind])).toEqual([
      [1, '{"a":1}', "publish"],
      [2, '{"a":2}', "publish"],
      [3, '{"a":1}', "rollback"],
    ]);
    expect((await audits(ref.group)).map((row) => row.action)).toEqual(["config.publish", "config.publish", "config.rollback"]);
  });

  test.each([
    { name: "a stale base version", input: { content: '{"a":3}', baseVersion: 0 }, code: "conflict", field: "baseVersion" },
    { name: "invalid JSON", input: { content: '{"a":}', baseVersion: 1 }, code: "validation_failed", field: "content" },
    {
      name: "content over 100 KiB",
      input: { content: JSON.stringify({ a: "x".repeat(102_400) }), baseVersion: 1 },
      code: "payload_too_large",
      field: "content",
    },
    { name: "the same content again", input: { content: '{"a":1}', baseVersion: 1 }, code: "validation_failed", field: "content" },
    { name: "an operator marking it secret", input: { content: '{"a":3}', baseVersion: 1, secret: true }, code: "forbidden", field: "secret" },
  ])("refuses $name and stores nothing", async ({ input, code, field }) => {
    const ref = newRef();
    await publish(ref, { content: '{"a":1}', baseVersion: 0 });
    await expect(publish(ref, input)).rejects.toMatchObject({ code, field });
    expect(await db.configVersion.count({ where: { item: ref } })).toBe(1);
    expect(await audits(ref.group)).toHaveLength(1);
  });

  test("an unknown namespace is a 404 naming it", async () => {
    await expect(publish({ ...newRef(), namespace: "nowhere" }, { content: "{}", baseVersion: 0 })).rejects.toMatchObject({
      code: "not_found",
      field: "namespace",
    });
  });

  test("a secret item is admin-only and masked in the audit log", async () => {
    const ref = newRef();
    await publish(ref, { content: '{"password":"hunter2"}', baseVersion: 0, secret: true }, admin);
    await expect(publish(ref, { content: '{"password":"x"}', baseVersion: 1 })).rejects.toMatchObject({ code: "forbidden" });
    const [event] = await audits(ref.group);
    expect(JSON.stringify(event?.after)).not.toContain("hunter2");
    expect(event!.after).toMatchObject({ version: 1, content: "••••••••", secret: true });
    const watch = ZWatchConfig.parse({ instance: "svc-1", items: [{ ...ref, version: 0 }], timeout: 0 });
    await expect(watchConfig({ actor: service, input: watch })).rejects.toMatchObject({ code: "forbidden", field: "items.0" });
    const [allowed] = await watchConfig({ actor: { ...service, grants: [{ permission: "config.read" }, { permission: "config.secrets" }] }, input: watch });
    expect(allowed?.content).toBe('{"password":"hunter2"}');
  });

  test("a deleted item is gone for clients, keeps its history, and comes back when published again", async () => {
    const ref = newRef();
    await publish(ref, { content: '{"a":1}', baseVersion: 0 });
    await deleteConfig({ actor: operator, ref, input: { message: "gone", baseVersion: 1 } });
    const [gone] = await watchConfig({ actor: service, input: ZWatchConfig.parse({ instance: "i", items: [{ ...ref, version: 1 }], timeout: 0 }) });
    expect(gone).toMatchObject({ version: 0, content: null });
    expect(await publish(ref, { content: '{"a":2}', baseVersion: 0 })).toMatchObject({ version: 2 });
  });
});

describe("gray release", () => {
  test("reaches only the chosen instances or tags; promote gives it to everyone, abandon takes it back", async () => {
    const ref = newRef();
    await publish(ref, { content: '{"v":1}', baseVersion: 0 });
    await startGray({
      actor: operator,
      ref,
      input: ZStartGray.parse({ content: '{"v":2}', message: "try", baseVersion: 1, instances: ["a-1"], tags: ["canary"] }),
    });
    const seen = async (instance: string, tags: string[] = []) =>
      (await watchConfig({ actor: service, input: ZWatchConfig.parse({ instance, tags, items: [{ ...ref, version: 0 }], timeout: 0 }) }))[0]?.version;
    expect([await seen("a-1"), await seen("b-1", ["canary"]), await seen("c-1", ["stable"])]).toEqual([2, 2, 1]);
    await expect(publish(ref, { content: '{"v":3}', baseVersion: 1 })).rejects.toMatchObject({ code: "conflict", field: "gray" });
    await endGray({ actor: operator, ref, outcome: "abandon", message: "no" });
    expect(await seen("a-1")).toBe(1);
    await startGray({ actor: operator, ref, input: ZStartGray.parse({ content: '{"v":4}', message: "again", baseVersion: 1, instances: ["a-1"] }) });
    await endGray({ actor: operator, ref, outcome: "promote", message: "good" });
    expect([await seen("a-1"), await seen("c-1")]).toEqual([3, 3]);
    expect((await audits(ref.group)).map((row) => row.action)).toEqual([
      "config.publish",
      "config.gray-start",
      "config.gray-abandon",
      "config.gray-start",
      "config.gray-promote",
    ]);
  });
});

describe("watch", () => {
  test("a held watch returns as soon as the item changes, and after its timeout when nothing does", async () => {
    const ref = newRef();
    await publish(ref, { content: '{"a":1}', baseVersion: 0 });
    const started = Date.now();
    expect(await watchConfig({ actor: service, input: ZWatchConfig.parse({ instance: "w", items: [{ ...ref, version: 1 }], timeout: 300 }) })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const held = watchConfig({ actor: service, input: ZWatchConfig.parse({ instance: "w", items: [{ ...ref, version: 1 }], timeout: 10_000 }) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const published = Date.now();
    await publish(ref, { content: '{"a":2}', baseVersion: 1 });
    const [changed] = await held;
    expect(changed).toMatchObject({ version: 2, content: '{"a":2}' });
    expect(Date.now() - published).toBeLessThan(1000);
  });
});

describe("import", () => {
  test("previews new, changed and unchanged items, then writes them all in one go", async () => {
    const group = `svc-${++next}`;
    await publish({ namespace: "dev", group, key: "same" }, { content: "{}", baseVersion: 0 });
    await publish({ namespace: "dev", group, key: "moved" }, { content: '{"a":1}', baseVersion: 0 });
    const file = parseImportFile(
      JSON.stringify({
        meshdeck: "config-export",
        formatVersion: 1,
        namespace: "staging",
        items: [
          { group, key: "same", format: "json", content: "{}" },
          { group, key: "moved", format: "json", content: '{"a":2}' },
          { group, key: "fresh", format: "yaml", content: "a: 1\n" },
        ],
      }),
    );
    const preview = await previewImport({ actor: operator, namespace: "dev", file });
    expect(preview.map((row) => [row.key, row.change])).toEqual([
      ["same", "unchanged"],
      ["moved", "changed"],
      ["fresh", "new"],
    ]);
    const { written } = await applyImport({ actor: operator, namespace: "dev", file, message: "import" });
    expect(written.map((row) => row.version)).toEqual([2, 1]);
    expect(() =>
      parseImportFile(
        '{"meshdeck": "config-export", "formatVersion": 1, "namespace": "dev", "items": [{"group": "g", "key": "k", "format": "json", "content": "{"}]}',
      ),
    ).toThrow(/items.0 \(g\/k\): content: invalid json at line 1, column 2/);
    expect(() => parseImportFile("{nope")).toThrow(/not valid JSON/);
  });
});
