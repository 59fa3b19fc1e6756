import { request } from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { defaultBodyLimit } from "@/lib/server/body-cap.mjs";
import { adminAndToken, apiClient, unique, type TCall } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp, type TAppTarget } from "../support/start-app";

const targets = inject("targets");

// Which server answered: lib/server/beside-next.ts stamps its answers `beside-next`, the app routes' `next`.
const servedBy = (call: TCall) => call.headers.get("x-meshdeck-served-by");

/** The Connection header of the answer to a bodyless PUT (as clients send heartbeats) on a keep-alive connection. */
function connectionOfPut(baseUrl: string, path: string, token: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const sent = request(`${baseUrl}${path}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-length": "0", connection: "keep-alive" },
    });
    sent.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(response.headers.connection));
    });
    sent.on("error", reject);
    sent.end();
  });
}

describe.each(targets)("the registry's hot path on $name", (target) => {
  let api: ReturnType<typeof apiClient>;
  let admin: ReturnType<typeof apiClient>;
  let token: string;

  beforeAll(async () => {
    ({ api, admin, token } = await adminAndToken(target, "hot-path"));
  });

  test("a token's registration, heartbeat, discovery and deregistration are answered beside Next.js; a session's by Next.js", async () => {
    const service = unique("hot");
    const id = unique("hot-inst");
    const registered = await api.post("/api/v1/registry/instances", { service, id, host: "127.0.0.1", port: 7001, weight: 30 });
    expect([registered.status, servedBy(registered)]).toEqual([201, "beside-next"]);
    // Answers beside Next.js carry the same security headers as Next.js's API answers (lib/server/security-headers.ts).
    expect(registered.headers.get("x-content-type-options")).toBe("nosniff");
    expect(registered.headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(registered.body.instance).toMatchObject({
      id,
      address: "127.0.0.1:7001",
      weight: 30,
      health: "passing",
      override: { version: 0 },
      staleSince: null,
    });

    const beat = await api.put(`/api/v1/registry/instances/${id}/heartbeat`);
    expect([beat.status, beat.body, servedBy(beat)]).toEqual([200, { health: "passing" }, "beside-next"]);
    // A beat answered from memory, before Node has even marked the request complete, keeps its connection open.
    expect(await connectionOfPut(target.baseUrl, `/api/v1/registry/instances/${id}/heartbeat`, token)).toBe("keep-alive");

    const discovered = await api.get(`/api/v1/discovery/${service}`);
    expect([discovered.status, servedBy(discovered)]).toEqual([200, "beside-next"]);
    expect(discovered.body.instances).toEqual([{ id, host: "127.0.0.1", port: 7001, weight: 30, tags: [], metadata: {}, health: "passing" }]);
    // The same endpoint through Next.js, for a signed-in user, answers the same.
    const bySession = await admin.get(`/api/v1/discovery/${service}`);
    expect([bySession.status, servedBy(bySession), bySession.body]).toEqual([200, "next", discovered.body]);

    const catalog = await api.get("/api/v1/discovery");
    expect([catalog.status, servedBy(catalog)]).toEqual([200, "beside-next"]);
    expect(catalog.body.services).toContainEqual(discovered.body);
    expect(Number(catalog.headers.get("x-meshdeck-index"))).toBe(catalog.body.index);

    const gone = await api.delete(`/api/v1/registry/instances/${id}`);
    expect([gone.status, servedBy(gone)]).toEqual([204, "beside-next"]);
    const again = await api.delete(`/api/v1/registry/instances/${id}`);
    expect([again.status, again.body.error.code, servedBy(again)]).toEqual([404, "not_found", "beside-next"]);
  });

  test("the gate beside Next.js refuses as the app routes do", async () => {
    const bad = await api.post("/api/v1/registry/instances", { service: "x", id: "y", host: "127.0.0.1", port: 0 });
    expect([bad.status, bad.body.error.field, servedBy(bad)]).toEqual([422, "port", "beside-next"]);
    const anonymous = await apiClient(target, { token: "mdk_not-a-real-token" }).put("/api/v1/registry/instances/y/heartbeat");
    expect([anonymous.status, servedBy(anonymous)]).toEqual([401, "beside-next"]);
    const badSegment = await api.delete("/api/v1/registry/instances/%ZZ");
    expect([badSegment.status, servedBy(badSegment)]).toEqual([400, "beside-next"]);
    const badQuery = await api.get("/api/v1/discovery?wait=forever");
    expect([badQuery.status, badQuery.body.error.field]).toEqual([422, "wait"]);
  });

  test("a discovery watch beside Next.js is woken by a registration and answers the new index", async () => {
    const service = unique("hot-watch");
    await api.post("/api/v1/registry/instances", { service, id: unique("w"), host: "127.0.0.1", port: 7002 });
    const first = await api.get(`/api/v1/discovery/${service}`);
    const whole = await api.get("/api/v1/discovery");
    const held = api.get(`/api/v1/discovery/${service}?index=${first.body.index}&wait=20s`);
    const heldCatalog = api.get(`/api/v1/discovery?index=${whole.body.index}&wait=20s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = unique("w");
    await api.post("/api/v1/registry/instances", { service, id: second, host: "127.0.0.1", port: 7003 });
    const woken = await held;
    expect([woken.status, servedBy(woken)]).toEqual([200, "beside-next"]);
    expect(woken.body.index).toBeGreaterThan(first.body.index);
    expect(woken.body.instances.map((instance: { id: string }) => instance.id)).toContain(second);
    const wokenCatalog = await heldCatalog;
    expect(wokenCatalog.body.index).toBeGreaterThan(whole.body.index);
  });
});

// A deliberately small bound: 64 registrations at once must meet it.
const maxInflight = 4;

describe("overload on apps with MESHDECK_MAX_INFLIGHT_WRITES=4", () => {
  const apps: Awaited<ReturnType<typeof startApp>>[] = [];
  beforeAll(async () => {
    const [sqlite, postgresql] = targets as [TAppTarget, TAppTarget];
    const env = { MESHDECK_MAX_INFLIGHT_WRITES: String(maxInflight) };
    apps.push(
      // Its own SQLite file: two processes on one file would be a test of SQLite's locking, not of admission.
      await startApp({ name: "flood-sqlite", port: await freePort(), databaseUrl: "file:.tmp/integration/flood.db", admin: sqlite.admin, env }),
      await startApp({ name: "flood-postgresql", port: await freePort(), databaseUrl: postgresql.databaseUrl, admin: postgresql.admin, env }),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
  });

  const floodApp = (name: string) => apps.find((candidate) => candidate.target.name === name)!;
  const registration = (service: string, id: string) => ({ service, id, host: "127.0.0.1", port: 8000, check: { kind: "ttl", ttl: "60s" } });
  const storedIds = async (api: ReturnType<typeof apiClient>, service: string) =>
    ((await api.get(`/api/v1/discovery/${service}`)).body.instances as { id: string }[]).map((instance) => instance.id).sort();

  test.each(["flood-sqlite", "flood-postgresql"])(
    "on %s, 64 registrations at once: each a 2xx or a 503 with Retry-After, and exactly the 2xx stored",
    async (name) => {
      const { api } = await adminAndToken(floodApp(name).target, `flood-${name}`);
      const service = unique("flood");
      const ids = Array.from({ length: 64 }, (_, i) => `${service}-${i}`);
      const answers = await Promise.all(ids.map((id) => api.post("/api/v1/registry/instances", registration(service, id))));
      for (const answer of answers) {
        expect([200, 201, 503]).toContain(answer.status);
        if (answer.status === 503) expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(await storedIds(api, service)).toEqual(ids.filter((_, i) => answers[i]!.status < 300).sort());
    },
  );

  test.each(["flood-sqlite", "flood-postgresql"])(
    "on %s, 64 registrations whose bodies are slow: 4 admitted, 60 refused before their bodies are read",
    async (name) => {
      const app = floodApp(name);
      const { api, token } = await adminAndToken(app.target, `slow-${name}`);
      const service = unique("slow");
      const ids = Array.from({ length: 64 }, (_, i) => `${service}-${i}`);
      // Each request sends its headers and the first byte of its body, then waits: an admitted one holds its place meanwhile.
      const calls = ids.map((id) => {
        const call = request(new URL("/api/v1/registry/instances", app.target.baseUrl), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        });
        const body = JSON.stringify(registration(service, id));
        const answer = new Promise<{ status: number; retryAfter: string | undefined; json: string }>((resolve, reject) => {
          call.on("response", (response) => {
            let json = "";
            response.on("data", (chunk: Buffer) => (json += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"], json }));
          });
          call.on("error", reject);
        });
        call.write(body.slice(0, 1));
        return { call, body, answer, answered: false };
      });
      for (const entry of calls) void entry.answer.then(() => (entry.answered = true));
      await eventually(
        async () => calls.filter((entry) => entry.answered).length,
        (answered) => answered >= 64 - maxInflight,
        { timeoutMs: 20_000 },
      );
      for (const entry of calls.filter((candidate) => !candidate.answered)) entry.call.end(entry.body.slice(1));
      const answers = await Promise.all(calls.map((entry) => entry.answer));
      const refused = answers.filter((answer) => answer.status === 503);
      expect(refused).toHaveLength(64 - maxInflight);
      for (const answer of refused) {
        expect(answer.retryAfter).toBe("1");
        expect(JSON.parse(answer.json)).toMatchObject({ error: { code: "unavailable" } });
      }
      const admitted = ids.filter((_, i) => answers[i]!.status === 201);
      expect(admitted).toHaveLength(maxInflight);
      expect(await storedIds(api, service)).toEqual(admitted.sort());
    },
  );

  test("a 100 MiB chunked body to the sign-in endpoint is answered 413 without being read into memory", async () => {
    const app = apps[0]!;
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${app.pid}/status`, "utf8"))?.[1]) * 1024;
    const before = rss();
    const url = new URL("/api/auth/callback/credentials", app.target.baseUrl);
    const answer = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      let waited = false;
      let wake = () => undefined as void;
      const call = request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } }, (response) => {
        answered = true;
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, sent }));
        call.destroy();
        wake();
      });
      call.on("error", (error) => !answered && reject(error));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!answered && sent < 100 * 1024 * 1024) {
          // The app answers 413 and closes the connection once the body passes its cap. A write racing that close
          // fails (EPIPE) and takes the socket down before the answer already on it is read, so the client passes
          // the cap by one byte and waits for the answer before writing on. An app that reads on gets all 100 MiB.
          if (!waited && sent > defaultBodyLimit) {
            waited = true;
            const timer = setTimeout(() => wake(), 5_000);
            wake = () => {
              clearTimeout(timer);
              wake = () => undefined;
              pump();
            };
            return;
          }
          const piece = sent <= defaultBodyLimit ? chunk.subarray(0, Math.min(chunk.length, defaultBodyLimit + 1 - sent)) : chunk;
          sent += piece.length;
          if (!call.write(piece)) return void call.once("drain", pump);
        }
        if (!answered) call.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(50 * 1024 * 1024);
    expect(rss() - before).toBeLessThan(50 * 1024 * 1024);
    // The app still answers.
    expect((await fetch(`${app.target.baseUrl}/api/healthz`)).status).toBe(200);
  });
});
