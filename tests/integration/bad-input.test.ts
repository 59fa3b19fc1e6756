import { describe, expect, inject, test } from "vitest";
import { adminAndToken, unique } from "../support/client";

const targets = inject("targets");

// Issue 15, "every bad input a 4xx": each of these answered 5xx or was stored before.
describe.each(targets)("bad input is a 4xx that stores nothing on $name", (target) => {
  test.each(["null", "not an origin", "http://", "http://%zz", "file:///etc/passwd"])("a session write with Origin %j is a 403", async (origin) => {
    const { cookie, admin } = await adminAndToken(target);
    const name = unique("origin");
    const response = await fetch(`${target.baseUrl}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(403);
    expect((await admin.get("/api/v1/tokens")).body.tokens.map((token: { name: string }) => token.name)).not.toContain(name);
  });

  test("a server action from a foreign or opaque origin is a 403, not Next.js's 500", async () => {
    const { cookie } = await adminAndToken(target);
    for (const origin of ["null", "http://%zz", "http://evil.example"]) {
      const response = await fetch(`${target.baseUrl}/settings/tokens`, {
        method: "POST",
        headers: { cookie, origin, "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" },
        body: "[]",
      });
      expect(response.status, origin).toBe(403);
    }
  });

  test("a multipart body to the API is a 415, also where no route answers (was Next.js's 500), and stores nothing", async () => {
    const { cookie, admin } = await adminAndToken(target);
    const name = unique("multipart");
    // The fuzz test's find: POST /api/v1/services/../retire (the client resolves it to /api/v1/retire).
    for (const path of ["/api/v1/retire", "/api/v1/tokens", `/api/v1/services/${name}/retire`]) {
      const response = await fetch(`${target.baseUrl}${path}`, {
        method: "POST",
        headers: { cookie, "content-type": "multipart/form-data; boundary=x" },
        body: JSON.stringify({ name, reason: "x" }),
      });
      expect(response.status, path).toBe(415);
    }
    expect((await admin.get("/api/v1/tokens")).body.tokens.map((token: { name: string }) => token.name)).not.toContain(name);
  });

  test.each(["/api/v1/services/%ZZ", "/api/v1/services/%C0%AE", "/services/%ZZ", "/services/%C0%AE%C0%AE", "/config/dev/%E0%A4%A/x"])(
    "%s is a 400",
    async (path) => {
      const { token } = await adminAndToken(target);
      const response = await fetch(`${target.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(400);
    },
  );

  // The fuzz test's find on PostgreSQL: DELETE /api/v1/sources/%00 reached a query with the NUL, which PostgreSQL
  // refuses (a 503). Every name in a path is checked before any query.
  test.each([
    ["delete", "/api/v1/sources/%00"],
    ["get", "/api/v1/services/%00"],
    ["get", "/api/v1/services/a%01b/status"],
    ["post", "/api/v1/services/%00/retire"],
    ["delete", "/api/v1/config/namespaces/%1B"],
    ["get", "/api/v1/config/items/dev/%00/key"],
    ["delete", "/api/v1/dataplanes/%7F"],
  ] as const)("%s %s, a control character in a path name, is a 422 naming it", async (method, path) => {
    const { admin } = await adminAndToken(target);
    const answer = method === "post" ? await admin.post(path, { reason: "x" }) : await admin[method](path);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("validation_failed");
  });

  test("a config import nested 20,000 deep is a 422 naming the limit", async () => {
    const { admin } = await adminAndToken(target);
    const depth = 20_000;
    const raw = `{"meshdeck":"config-export","formatVersion":1,"namespace":"dev","items":[],"extra":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const response = await admin.postRaw("/api/v1/config/import?namespace=dev&dryRun=true", raw);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/nested more than 64 levels/);
    const body = await admin.postRaw("/api/v1/tokens", `{"name":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    expect(body.status).toBe(422);
  });

  test("a repeated ?namespace= on import is refused", async () => {
    const { admin } = await adminAndToken(target);
    const file = { meshdeck: "config-export", formatVersion: 1, namespace: "dev", items: [] };
    const response = await admin.post("/api/v1/config/import?namespace=dev&namespace=prod&dryRun=true", file);
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe("namespace");
  });

  test.each([
    ["\u0000", "U+0000"],
    ["\u202e", "U+202E"],
    ["\u2066", "U+2066"],
    ["\u0007", "U+0007"],
  ])("names, messages and reasons holding %j are a 422 naming the field", async (char, code) => {
    const { admin } = await adminAndToken(target);
    const tokenName = unique("nul") + char;
    const token = await admin.post("/api/v1/tokens", { name: tokenName });
    expect(token.status).toBe(422);
    expect(token.body.error).toMatchObject({ field: "name" });
    expect(token.body.error.message).toContain(code);
    expect((await admin.get("/api/v1/tokens")).body.tokens.map((item: { name: string }) => item.name)).not.toContain(tokenName);

    const email = `${unique("nul")}@meshdeck.test`;
    const user = await admin.post("/api/v1/users", { email, name: `Eve${char}`, password: "a-long-enough-password", role: "viewer" });
    expect(user.status).toBe(422);
    expect(user.body.error.field).toBe("name");
    expect((await admin.get("/api/v1/users")).body.users.map((item: { email: string }) => item.email)).not.toContain(email);

    const key = unique("nul");
    const publish = await admin.put(`/api/v1/config/items/dev/orders/${key}`, { format: "text", content: "x", message: `why${char}`, baseVersion: 0 });
    expect(publish.status).toBe(422);
    expect(publish.body.error.field).toBe("message");
    expect((await admin.get(`/api/v1/config/items/dev/orders/${key}`)).status).toBe(404);

    const reason = await admin.post("/api/v1/governance/instances", {
      selector: { service: unique("svc") },
      change: { weight: 5 },
      reason: `because${char}`,
    });
    expect(reason.status).toBe(422);
    expect(reason.body.error.field).toBe("reason");
  });

  test.each(["127.0.0.1:0", "127.0.0.1:99999", "[::1]:65536"])("a source endpoint %s is a 422 naming it", async (endpoint) => {
    const { admin } = await adminAndToken(target);
    const name = unique("src").toLowerCase().slice(0, 60);
    const response = await admin.post("/api/v1/sources", { name, kind: "zookeeper", convention: "dubbo", endpoints: [endpoint] });
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe("endpoints.0");
    expect((await admin.get(`/api/v1/sources/${name}`)).status).toBe(404);
  });
});
