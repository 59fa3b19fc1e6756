import { describe, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";
import { querySql } from "../support/database";

const targets = inject("targets");

// Issue 15, item 11: each kind of secret is sealed in its database row (AES-256-GCM), and reads as written through the API.
describe.each(targets)("secrets at rest on $name", (target) => {
  const sealed = /^enc:v1:[0-9a-f]{8}:/;

  test("a source's password and TLS key are sealed in the row", async () => {
    const { admin } = await adminAndToken(target);
    const name = unique("enc").toLowerCase().slice(0, 60);
    const password = `pw-${unique("secret")}`;
    const key = `-----BEGIN PRIVATE KEY-----\n${unique("key-material")}\n-----END PRIVATE KEY-----`;
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    const created = await admin.post("/api/v1/sources", {
      name,
      kind: "etcd",
      convention: "url",
      endpoints: ["127.0.0.1:1"],
      username: "root",
      password,
      tls: { ca: cert, cert, key },
      enabled: false,
    });
    expect(created.status).toBe(201);
    const [row] = await querySql<{ password: string; tls: string }>(target, { sql: `SELECT "password", "tls" FROM "Source" WHERE "name" = $1`, args: [name] });
    expect(row!.password).toMatch(sealed);
    expect(row!.tls).toMatch(sealed);
    expect(JSON.stringify(row)).not.toContain(password);
    expect(JSON.stringify(row)).not.toContain("key-material");
    // The API still works with it: the source reads back (never its password), and a settings change seals it afresh.
    expect((await admin.get(`/api/v1/sources/${name}`)).status).toBe(200);
    const updated = await admin.put(`/api/v1/sources/${name}`, {
      name,
      kind: "etcd",
      convention: "url",
      endpoints: ["127.0.0.1:2"],
      username: "root",
      password,
      enabled: false,
    });
    expect(updated.status).toBe(200);
    const [kept] = await querySql<{ password: string }>(target, { sql: `SELECT "password" FROM "Source" WHERE "name" = $1`, args: [name] });
    expect(kept!.password).toMatch(sealed);
    expect(kept!.password).not.toBe(row!.password);
  });

  test("a webhook URL is sealed in the row and kept out of the audit log", async () => {
    const { admin } = await adminAndToken(target);
    const token = unique("hook-token");
    const url = `https://hooks.example.com/services/${token}`;
    const created = await admin.post("/api/v1/webhooks", { url });
    expect(created.status).toBe(201);
    const rows = await querySql<{ url: string }>(target, { sql: `SELECT "url" FROM "Webhook"`, args: [] });
    expect(rows.some((row) => row.url.includes(token))).toBe(false);
    expect(rows.every((row) => sealed.test(row.url))).toBe(true);
    expect(JSON.stringify((await admin.get("/api/v1/webhooks")).body)).toContain(url);
    const audit = await querySql<{ after: string }>(target, { sql: `SELECT "after" FROM "AuditEvent" WHERE "action" = 'webhook.create'`, args: [] });
    expect(audit.map((row) => row.after).join()).not.toContain(token);
  });

  test("a secret config value is sealed in every version row; a plain one is not", async () => {
    const { admin, token } = await adminAndToken(target);
    await admin.post("/api/v1/config/namespaces", { name: "enc" });
    const group = unique("enc");
    const value = `password=${unique("db-secret")}`;
    // Published plain first, then made secret: the older version is sealed too.
    expect((await admin.put(`/api/v1/config/items/enc/${group}/db`, { format: "text", content: value, message: "m", baseVersion: 0 })).status).toBe(200);
    expect(
      (await admin.put(`/api/v1/config/items/enc/${group}/db`, { format: "text", content: `${value}!`, message: "m", baseVersion: 1, secret: true })).status,
    ).toBe(200);
    const rows = await querySql<{ content: string; sha256: string }>(target, {
      sql: `SELECT v."content", v."sha256" FROM "ConfigVersion" v JOIN "ConfigItem" i ON i."id" = v."itemId" WHERE i."group" = $1`,
      args: [group],
    });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.content).toMatch(sealed);
      expect(row.content).not.toContain(value);
    }
    const read = await fetch(`${target.baseUrl}/api/v1/config/items/enc/${group}/db`, { headers: { authorization: `Bearer ${token}` } });
    // The token cannot read secrets: withheld, but the admin's session reads the value as written.
    expect(read.status).toBe(403);
    const history = await admin.get(`/api/v1/config/items/enc/${group}/db/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(`${value}!`);

    const plainGroup = unique("plain");
    await admin.put(`/api/v1/config/items/enc/${plainGroup}/db`, { format: "text", content: "visible=1", message: "m", baseVersion: 0 });
    const [plain] = await querySql<{ content: string }>(target, {
      sql: `SELECT v."content" FROM "ConfigVersion" v JOIN "ConfigItem" i ON i."id" = v."itemId" WHERE i."group" = $1`,
      args: [plainGroup],
    });
    expect(plain!.content).toBe("visible=1");
  });
});
