import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { NacosConfigClient, NacosNamingClient, type Host } from "nacos";
import { adminAndToken, apiClient, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp, type TAppTarget } from "../support/start-app";

// The official Nacos Node SDK, unchanged, against Meshdeck's Nacos API: it registers, discovers, is told of changes
// (a drain made in Meshdeck among them) and reads, publishes and listens to config.
let stop: (() => Promise<void>) | undefined;
let target: TAppTarget;
let nacosUrl: string;
let token: string;
let admin: ReturnType<typeof apiClient>;
let api: ReturnType<typeof apiClient>;
const closers: (() => Promise<void> | void)[] = [];

// The SDK logs every call; the test reads its answers instead.
const quiet = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  error: () => undefined,
  log: () => undefined,
} as unknown as typeof console;

beforeAll(async () => {
  const nacosPort = await freePort();
  const app = await startApp({
    name: "nacos-api",
    port: await freePort(),
    databaseUrl: "file:.tmp/integration/nacos-api.db",
    admin: { email: "nacos@meshdeck.test", password: `nacos-${Date.now().toString(36)}-pw` },
    env: { MESHDECK_NACOS_PORT: String(nacosPort) },
  });
  stop = app.stop;
  target = app.target;
  nacosUrl = `http://127.0.0.1:${nacosPort}/nacos/v1`;
  ({ admin, api, token } = await adminAndToken(target, "nacos-client"));
});

afterAll(async () => {
  for (const close of closers) await close();
  await stop?.();
});

async function naming() {
  const client = new NacosNamingClient({
    logger: quiet,
    serverList: nacosUrl.replace(/^http:\/\/|\/nacos\/v1$/g, ""),
    namespace: "public",
    username: "svc",
    password: token,
  });
  await client.ready();
  // sdk-base's close(), which the SDK's types leave out.
  closers.push(() => (client as unknown as { close: () => Promise<void> }).close());
  return client;
}

async function nacos(method: string, path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const query = new URLSearchParams(params);
  const response = await fetch(`${nacosUrl}${path}?${query}`, { method, headers });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

test("the Nacos naming client registers, discovers, hears of a drain made in Meshdeck and deregisters", async () => {
  const client = await naming();
  const service = unique("nacos-svc");
  await client.registerInstance(service, { ip: "127.0.0.1", port: 9001, weight: 2, metadata: { version: "1.0" } } as never);
  await client.registerInstance(service, { ip: "127.0.0.1", port: 9002 } as never);

  // nacos-naming's types say a string; the client answers a promise of one.
  expect(await (client.getServerStatus() as unknown as Promise<string>)).toBe("UP");
  const hosts = await client.getAllInstances(service);
  expect(hosts.map((host) => [host.ip, host.port, host.weight, host.healthy, host.enabled]).sort()).toEqual([
    ["127.0.0.1", 9001, 2, true, true],
    ["127.0.0.1", 9002, 1, true, true],
  ]);
  expect(hosts.find((host) => host.port === 9001)?.metadata).toEqual({ version: "1.0" });
  // In Meshdeck's registry, with Meshdeck's weights, registered through Nacos.
  const registered = await api.get(`/api/v1/services/${service}`);
  expect(registered.body.instances.map((instance: { id: string; weight: number }) => [instance.id, instance.weight]).sort()).toEqual([
    [`${service}:127.0.0.1:9001`, 200],
    [`${service}:127.0.0.1:9002`, 100],
  ]);

  const heard: Host[][] = [];
  client.subscribe(service, (update: Host[]) => heard.push(update));
  await eventually(
    async () => heard.length,
    (count) => count > 0,
  );

  // A drain made by an operator in Meshdeck shows through: enabled false in the list, and out of healthyOnly answers.
  const drained = await admin.post("/api/v1/governance/instances", {
    selector: { ids: [`${service}:127.0.0.1:9001`] },
    change: { enabled: false },
    reason: "nacos test: drain one",
  });
  expect(drained.status).toBe(200);
  await eventually(
    async () => heard.at(-1),
    (update) => update?.find((host) => host.port === 9001)?.enabled === false,
  );
  const healthyOnly = await nacos("GET", "/ns/instance/list", {
    serviceName: `DEFAULT_GROUP@@${service}`,
    healthyOnly: "true",
    username: "svc",
    password: token,
  });
  expect(JSON.parse(healthyOnly.text).hosts.map((host: Host) => host.port)).toEqual([9002]);

  await client.deregisterInstance(service, { ip: "127.0.0.1", port: 9002 } as never);
  await eventually(
    async () => heard.at(-1),
    (update) => update?.length === 1 && update[0]?.port === 9001,
  );
  expect((await api.get(`/api/v1/services/${service}`)).body.instances).toHaveLength(1);
});

test("beats keep an instance; an unknown one is told to register again (code 20404)", async () => {
  const service = unique("nacos-beat");
  const auth = { username: "svc", password: token };
  expect((await nacos("POST", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9100", ...auth })).text).toBe("ok");
  const beat = (port: number) =>
    nacos("PUT", "/ns/instance/beat", { serviceName: `DEFAULT_GROUP@@${service}`, beat: JSON.stringify({ ip: "127.0.0.1", port }), ...auth });
  expect(JSON.parse((await beat(9100)).text)).toMatchObject({ code: 10200, clientBeatInterval: 5000 });
  expect(JSON.parse((await beat(9101)).text)).toMatchObject({ code: 20404, clientBeatInterval: 5000 });
  const one = await nacos("GET", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9100", ...auth });
  expect(JSON.parse(one.text)).toMatchObject({ ip: "127.0.0.1", port: 9100, weight: 1, healthy: true, enabled: true, clusterName: "DEFAULT" });
  // A client's own update is the registered value; its enabled=false is refused (draining is an operator's).
  expect((await nacos("PUT", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9100", weight: "0.5", ...auth })).text).toBe("ok");
  expect(JSON.parse((await nacos("GET", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9100", ...auth })).text).weight).toBe(0.5);
  expect((await nacos("PUT", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9100", enabled: "false", ...auth })).status).toBe(400);
});

test("bad input and missing rights are refused, storing nothing", async () => {
  const service = unique("nacos-bad");
  const auth = { username: "svc", password: token };
  const register = (params: Record<string, string>) =>
    nacos("POST", "/ns/instance", { serviceName: service, ip: "127.0.0.1", port: "9200", ...auth, ...params });
  expect((await register({ ip: "169.254.169.254" })).status).toBe(422);
  expect((await register({ metadata: "[1,2" })).status).toBe(422);
  expect((await register({ weight: "1000" })).status).toBe(400);
  expect((await register({ port: "70000" })).status).toBe(400);
  expect((await register({ serviceName: "a@@b@@c" })).status).toBe(400);
  expect((await register({ ip: "127.0.0.1\u0000" })).status).toBe(400);
  expect((await register({ password: "mdk_not-a-token" })).status).toBe(403);
  const big = await fetch(`${nacosUrl}/ns/instance`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ serviceName: service, ip: "127.0.0.1", port: "9200", ...auth, metadata: JSON.stringify({ pad: "x".repeat(70_000) }) }),
  });
  expect(big.status).toBe(413);
  expect((await api.get(`/api/v1/services/${service}`)).status).toBe(404);
  // API tokens read config but may not publish it (as in Meshdeck's own API): a user signs in for that.
  expect((await nacos("POST", "/cs/configs", { dataId: "x.properties", group: "DEFAULT_GROUP", content: "a=1", ...auth })).status).toBe(403);
  expect((await nacos("GET", "/cs/configs", { dataId: "x.properties", group: "DEFAULT_GROUP" })).status).toBe(403);
});

test("the Nacos config client publishes, reads and is told of a publish through its long poll", async () => {
  const client = new NacosConfigClient({
    serverAddr: nacosUrl.replace(/^http:\/\/|\/nacos\/v1$/g, ""),
    username: target.admin.email,
    password: target.admin.password,
    requestTimeout: 6000,
    cacheDir: ".tmp/integration/nacos-cache",
  });
  client.on("error", () => undefined);
  await client.ready();
  closers.push(() => client.close());
  const dataId = `${unique("app")}.properties`;
  expect(await client.publishSingle(dataId, "DEFAULT_GROUP", "greeting=hello\n")).toBe(true);
  expect(await client.getConfig(dataId, "DEFAULT_GROUP")).toBe("greeting=hello\n");
  // The config center holds it, in Nacos's default namespace, audited as any publish.
  const item = await admin.get(`/api/v1/config/items/public/DEFAULT_GROUP/${dataId}`);
  expect(item.body).toMatchObject({ version: 1 });

  const heard: string[] = [];
  client.subscribe({ dataId, group: "DEFAULT_GROUP" }, (content: string) => heard.push(content));
  await eventually(
    async () => heard.at(-1),
    (content) => content === "greeting=hello\n",
  );
  // Held in its long poll now: a publish answers it.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const publishedAt = Date.now();
  expect(await client.publishSingle(dataId, "DEFAULT_GROUP", "greeting=bonjour\n")).toBe(true);
  await eventually(
    async () => heard.at(-1),
    (content) => content === "greeting=bonjour\n",
  );
  expect(Date.now() - publishedAt).toBeLessThan(5000);
  // The same content again is no new version.
  expect(await client.publishSingle(dataId, "DEFAULT_GROUP", "greeting=bonjour\n")).toBe(true);
  expect((await admin.get(`/api/v1/config/items/public/DEFAULT_GROUP/${dataId}`)).body).toMatchObject({ version: 2 });
  const audit = await admin.get("/api/v1/audit?action=config.publish");
  const published = audit.body.events.filter((event: { target: string }) => event.target === `config/public/DEFAULT_GROUP/${dataId}`);
  expect(published).toHaveLength(2);

  // A token's listener with a stale md5 is answered at once with the changed key, URL-encoded.
  const listener = await fetch(`${nacosUrl}/cs/configs/listener`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "long-pulling-timeout": "30000" },
    body: new URLSearchParams({ "Listening-Configs": `${dataId}\u0002DEFAULT_GROUP\u0002${"0".repeat(32)}\u0001`, accessToken: token }),
  });
  expect([listener.status, await listener.text()]).toEqual([200, encodeURIComponent(`${dataId}\u0002DEFAULT_GROUP\u0001`)]);
  // With the md5 it holds, nothing changed: held until half a second before the client's timeout, then empty.
  const held = Date.now();
  const idle = await fetch(`${nacosUrl}/cs/configs/listener`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "long-pulling-timeout": "1500" },
    body: new URLSearchParams({
      "Listening-Configs": `${dataId}\u0002DEFAULT_GROUP\u0002${createHash("md5").update("greeting=bonjour\n").digest("hex")}\u0001`,
      accessToken: token,
    }),
  });
  expect([idle.status, await idle.text()]).toEqual([200, ""]);
  expect(Date.now() - held).toBeGreaterThanOrEqual(900);

  // Login: a user's password gives a short-lived accessToken, which reads.
  const login = await fetch(`${nacosUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: target.admin.email, password: target.admin.password }),
  });
  const { accessToken, tokenTtl } = (await login.json()) as { accessToken: string; tokenTtl: number };
  expect(tokenTtl).toBeGreaterThan(0);
  const read = await nacos("GET", "/cs/configs", { dataId, group: "DEFAULT_GROUP", accessToken });
  expect([read.status, read.text]).toEqual([200, "greeting=bonjour\n"]);
  expect((await nacos("GET", "/cs/configs", { dataId, group: "DEFAULT_GROUP", accessToken: `${accessToken}x` })).status).toBe(403);
});
