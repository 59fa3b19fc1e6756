import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, signIn, unique } from "../support/client";

const targets = inject("targets");

describe.each(targets)("config center on $name", (target) => {
  let admin: ReturnType<typeof apiClient>;
  let operator: ReturnType<typeof apiClient>;
  let viewer: ReturnType<typeof apiClient>;
  let service: ReturnType<typeof apiClient>;
  let secretReader: ReturnType<typeof apiClient>;
  let serviceToken: string;

  // An operator and a viewer of our own: the API answers by role.
  const userOf = async (role: "operator" | "viewer") => {
    const user = { email: `${unique(role)}@meshdeck.test`, name: role, password: randomBytes(12).toString("base64url"), role };
    expect((await admin.post("/api/v1/users", user)).status).toBe(201);
    const { cookie } = await signIn(target, user);
    return apiClient(target, { cookie });
  };

  beforeAll(async () => {
    const session = await adminAndToken(target, "config-service");
    admin = session.admin;
    service = session.api;
    serviceToken = session.token;
    operator = await userOf("operator");
    viewer = await userOf("viewer");
    const reader = await admin.post("/api/v1/tokens", {
      name: "config-secrets",
      permissions: [{ permission: "config.read" }, { permission: "config.secrets" }],
    });
    secretReader = apiClient(target, { token: reader.body.token });
  });

  const item = () => `/api/v1/config/items/dev/${unique("svc")}/app.json`;
  const publish = (path: string, content: string, baseVersion: number, extra: Record<string, unknown> = {}) =>
    operator.put(path, { format: "json", content, message: "integration", baseVersion, ...extra });
  const watch = (path: string, version: number, extra: Record<string, unknown> = {}) => {
    const [namespace, group, key] = path.split("/").slice(-3);
    return service.post("/api/v1/config/watch", { instance: "i-1", items: [{ namespace, group, key, version }], timeout: "20s", ...extra });
  };

  test("publish, read with an ETag, and a watch woken by the next publish", async () => {
    const path = item();
    expect((await publish(path, '{"latencyMs":0}', 0)).body).toMatchObject({ version: 1 });
    const read = await service.get(path);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ format: "json", version: 1, content: '{"latencyMs":0}', gray: false });
    expect(read.headers.get("etag")).toBe(read.body.etag);
    const again = await fetch(`${target.baseUrl}${path}`, { headers: { authorization: `Bearer ${serviceToken}`, "if-none-match": read.body.etag } });
    expect(again.status).toBe(304);

    const held = watch(path, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const published = performance.now();
    expect((await publish(path, '{"latencyMs":150}', 1)).body.version).toBe(2);
    const woken = await held;
    expect(woken.status).toBe(200);
    expect(performance.now() - published).toBeLessThan(2000);
    expect(woken.body.changed).toEqual([expect.objectContaining({ version: 2, content: '{"latencyMs":150}' })]);

    const idle = await service.post("/api/v1/config/watch", {
      instance: "i-1",
      items: [{ namespace: "dev", group: path.split("/").at(-2), key: "app.json", version: 2 }],
      timeout: "400ms",
    });
    expect(idle.ms).toBeGreaterThanOrEqual(380);
    expect(idle.body.changed).toEqual([]);
  });

  // server.mjs answers a token's watch beside Next.js; a session's goes through the app route. Both must agree.
  test("the watch answers tokens and sessions alike, and refuses a bad body with the same errors", async () => {
    const path = item();
    await publish(path, '{"a":1}', 0);
    const [namespace, group, key] = path.split("/").slice(-3);
    const body = (version: number) => ({ instance: "i-2", items: [{ namespace, group, key, version }], timeout: "300ms" });
    for (const caller of [service, operator]) {
      expect((await caller.post("/api/v1/config/watch", body(0))).body.changed).toEqual([expect.objectContaining({ version: 1, content: '{"a":1}' })]);
      expect((await caller.post("/api/v1/config/watch", body(1))).body).toEqual({ changed: [] });
      expect((await caller.postRaw("/api/v1/config/watch", "{not json")).body.error).toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(/not valid JSON/),
      });
      const huge = await caller.postRaw("/api/v1/config/watch", JSON.stringify({ ...body(0), address: "x".repeat(70_000) }));
      expect([huge.status, huge.body.error.code]).toEqual([413, "payload_too_large"]);
      expect((await caller.post("/api/v1/config/watch", { ...body(0), timeout: "3m" })).body.error).toMatchObject({
        code: "validation_failed",
        field: "timeout",
      });
    }
    const plain = await fetch(`${target.baseUrl}/api/v1/config/watch`, {
      method: "POST",
      headers: { authorization: `Bearer ${serviceToken}`, "content-type": "text/plain" },
      body: JSON.stringify(body(0)),
    });
    expect(plain.status).toBe(415);
    const forged = await fetch(`${target.baseUrl}/api/v1/config/watch`, {
      method: "POST",
      headers: { authorization: "Bearer mdk_forged", "content-type": "application/json" },
      body: JSON.stringify(body(0)),
    });
    expect([forged.status, (await forged.json()).error.code]).toEqual([401, "unauthorized"]);
  });

  test("a rollback publishes the old content as a new version; the history keeps all three", async () => {
    const path = item();
    await publish(path, '{"a":1}', 0);
    await publish(path, '{"a":2}', 1);
    const rolled = await operator.post(`${path}/rollback`, { version: 1, message: "back to 1", baseVersion: 2 });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ version: 3, fromVersion: 1 });
    expect((await service.get(path)).body.content).toBe('{"a":1}');
    const history = await viewer.get(`${path}/history`);
    expect(history.body.history.map((row: { version: number; kind: string }) => [row.version, row.kind])).toEqual([
      [3, "rollback"],
      [2, "publish"],
      [1, "publish"],
    ]);
    const diff = await viewer.get(`${path}/diff?from=2&to=3`);
    expect(diff.body.lines).toEqual([
      expect.objectContaining({ kind: "removed", text: '{"a":2}' }),
      expect.objectContaining({ kind: "added", text: '{"a":1}' }),
    ]);
  });

  test("a gray release reaches only the chosen instance, and its watch alone is woken", async () => {
    const path = item();
    await publish(path, '{"v":1}', 0);
    const chosen = watch(path, 1, { instance: "gray-1" });
    const other = watch(path, 1, { instance: "other-1", timeout: "1500ms" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = await operator.post(`${path}/gray`, { content: '{"v":2}', message: "canary", baseVersion: 1, instances: ["gray-1"] });
    expect(started.status).toBe(201);
    expect((await chosen).body.changed).toEqual([expect.objectContaining({ version: 2, gray: true })]);
    expect((await other).body.changed).toEqual([]);
    expect((await service.get(`${path}?instance=other-1`)).body.version).toBe(1);
    expect((await service.get(`${path}?instance=gray-1`)).body.version).toBe(2);

    const listeners = await viewer.get(`${path}/history`);
    expect(listeners.body.gray).toMatchObject({ version: 2, instanceIds: ["gray-1"] });
    // Promoted: the version stays 2, so the chosen instance learns the gray release ended only from its gray mark.
    const [namespace, group, key] = path.split("/").slice(-3);
    const grayHeld = service.post("/api/v1/config/watch", { instance: "gray-1", items: [{ namespace, group, key, version: 2, gray: true }], timeout: "20s" });
    const versionHeld = service.post("/api/v1/config/watch", { instance: "gray-1", items: [{ namespace, group, key, version: 2 }], timeout: "1500ms" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const promoted = await operator.post(`${path}/gray/promote`, { message: "looks good" });
    expect(promoted.body).toMatchObject({ version: 2, outcome: "promoted" });
    expect((await grayHeld).body.changed).toEqual([expect.objectContaining({ version: 2, gray: false, content: '{"v":2}' })]);
    expect((await versionHeld).body.changed).toEqual([]);
    expect((await service.get(`${path}?instance=other-1`)).body.version).toBe(2);
  });

  test("a publish based on a stale version is a conflict and changes nothing", async () => {
    const path = item();
    await publish(path, '{"a":1}', 0);
    await publish(path, '{"a":2}', 1);
    const stale = await publish(path, '{"a":3}', 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "conflict", field: "baseVersion" });
    expect(stale.body.error.message).toContain("version 2 was published by");
    expect((await service.get(path)).body).toMatchObject({ version: 2, content: '{"a":2}' });
  });

  test.each([
    ["invalid JSON", { content: '{"a": }' }, 422, "content", /line 1, column 7/],
    ["invalid YAML", { format: "yaml", content: "a: [1,\n" }, 422, "content", /invalid yaml at line/],
    ["an unknown format", { format: "toml", content: "" }, 422, "format", /one of json/],
    ["no message", { message: "  " }, 422, "message", /required/],
    ["an oversized item", { content: JSON.stringify({ big: "x".repeat(110_000) }) }, 413, "content", /over the limit of 102400 bytes/],
  ])("refuses %s and stores nothing", async (_name, override, status, field, message) => {
    const path = item();
    const response = await operator.put(path, { format: "json", content: "{}", message: "x", baseVersion: 0, ...override });
    expect(response.status).toBe(status);
    expect(response.body.error.field).toBe(field);
    expect(response.body.error.message).toMatch(message);
    expect((await service.get(path)).status).toBe(404);
  });

  test("refuses the wrong caller and unknown places with the right status", async () => {
    const path = item();
    expect(
      (await operator.put(`/api/v1/config/items/nowhere/svc/app.json`, { format: "json", content: "{}", message: "x", baseVersion: 0 })).body.error,
    ).toMatchObject({ code: "not_found", field: "namespace" });
    expect((await viewer.put(path, { format: "json", content: "{}", message: "x", baseVersion: 0 })).status).toBe(403);
    expect((await service.put(path, { format: "json", content: "{}", message: "x", baseVersion: 0 })).status).toBe(403);
    expect((await apiClient(target).get(path)).status).toBe(401);
    const text = await fetch(`${target.baseUrl}${path}`, { method: "PUT", headers: { cookie: "", "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(401);
    expect(
      (await service.post("/api/v1/config/watch", { instance: "x", items: [{ namespace: "nowhere", group: "g", key: "k", version: 0 }] })).body.error,
    ).toMatchObject({ code: "not_found", field: "items.0.namespace" });
    expect((await service.post("/api/v1/config/watch", { instance: "x", items: [] })).body.error.field).toBe("items");
    expect((await operator.post("/api/v1/config/namespaces", { name: "qa" })).status).toBe(403);
  });

  test("a secret item is masked for operators, refused to ordinary tokens, readable by allowed ones", async () => {
    const path = item();
    const created = await admin.put(path, { format: "json", content: '{"dbPassword":"s3cret"}', message: "secret", baseVersion: 0, secret: true });
    expect(created.status).toBe(200);
    expect((await operator.get(`${path}/history`)).body).toMatchObject({ secret: true, masked: true, content: "••••••••" });
    expect((await operator.put(path, { format: "json", content: "{}", message: "x", baseVersion: 1 })).status).toBe(403);
    expect((await service.get(path)).status).toBe(403);
    expect((await secretReader.get(path)).body.content).toBe('{"dbPassword":"s3cret"}');
    const audit = await admin.get(`/api/v1/audit?service=${path.split("/").at(-2)}`);
    expect(JSON.stringify(audit.body)).not.toContain("s3cret");
  });

  test("an export previews and imports into another namespace, all or nothing", async () => {
    const path = item();
    const group = path.split("/").at(-2)!;
    await publish(path, '{"a":1}', 0);
    const exported = await operator.get("/api/v1/config/export?namespace=dev");
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment; filename="meshdeck-config-dev-/);
    const file = { ...exported.body, items: exported.body.items.filter((entry: { group: string }) => entry.group === group) };
    const preview = await operator.post("/api/v1/config/import?namespace=staging&dryRun=true", file);
    expect(preview.body.changes).toEqual([expect.objectContaining({ group, key: "app.json", change: "new" })]);
    expect((await service.get(`/api/v1/config/items/staging/${group}/app.json`)).status).toBe(404);
    const applied = await operator.post("/api/v1/config/import?namespace=staging&message=copy%20from%20dev", file);
    expect(applied.body.written).toEqual([{ item: `staging/${group}/app.json`, version: 1 }]);
    const broken = await operator.post("/api/v1/config/import?namespace=staging&message=x", {
      ...file,
      items: [{ group, key: "b", format: "json", content: "{" }],
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error.field).toBe("items.0.content");
    expect((await operator.postRaw("/api/v1/config/import?namespace=staging&dryRun=true", "{not json")).status).toBe(400);
  });
});
