import type { EventEmitter } from "node:events";
import { Eureka, type EurekaClient } from "eureka-js-client";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp } from "../support/start-app";

// The Eureka REST API against eureka-js-client, a real Eureka client nobody here wrote, and raw HTTP for the rest;
// on SQLite, and on PostgreSQL beside the app already running there.
const targets = inject("targets");
let eurekaUrl: string;
let token: string;
const clients: Eureka[] = [];
afterAll(() => {
  for (const client of clients) client.stop();
});

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A eureka-js-client for `app`, its token in the service URL as Spring Cloud users write it; short intervals. */
function eurekaClient({ app: appName, id, port, password = token }: { app: string; id: string; port: number; password?: string }) {
  const client = new Eureka({
    logger: quiet,
    instance: {
      app: appName,
      instanceId: id,
      hostName: "127.0.0.1",
      ipAddr: "127.0.0.1",
      port: { $: port, "@enabled": true },
      vipAddress: appName,
      statusPageUrl: `http://127.0.0.1:${port}/info`,
      dataCenterInfo: { "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", name: "MyOwn" },
      leaseInfo: { renewalIntervalInSecs: 1, durationInSecs: 5 },
    } as unknown as EurekaClient.EurekaInstanceConfig,
    eureka: {
      serviceUrls: { default: [`${eurekaUrl.replace("http://", `http://meshdeck:${password}@`)}/apps/`] },
      heartbeatInterval: 300,
      registryFetchInterval: 300,
      maxRetries: 0,
    } as unknown as EurekaClient.EurekaClientConfig,
  });
  clients.push(client);
  return client;
}

const start = (client: Eureka) => new Promise<Error | null>((resolve) => client.start((error: Error | null) => resolve(error ?? null)));
const ids = (client: Eureka, appName: string) =>
  client.getInstancesByAppId(appName).map((instance) => (instance as unknown as { instanceId: string }).instanceId);

const basic = (password = token) => `Basic ${Buffer.from(`meshdeck:${password}`).toString("base64")}`;
async function call(method: string, path: string, { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${eurekaUrl}${path}`, { method, headers: { authorization: basic(), ...headers }, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
const json = async (path: string) => JSON.parse((await call("GET", path, { headers: { accept: "application/json" } })).text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(targets)("Eureka API on $name", (target) => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let admin: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    const eurekaPort = await freePort();
    const databaseUrl = target.name === "sqlite" ? "file:.tmp/integration/eureka.db" : target.databaseUrl;
    const env = { MESHDECK_EUREKA_PORT: String(eurekaPort) };
    app = await startApp({ name: `eureka-${target.name}`, port: await freePort(), databaseUrl, admin: target.admin, env });
    ({ token, admin } = await adminAndToken(app.target, "eureka-client"));
    eurekaUrl = `http://127.0.0.1:${eurekaPort}/eureka`;
  });
  afterAll(async () => app?.stop());

  describe("with eureka-js-client", () => {
    test("registers, renews, fetches, is taken out of service and back, and cancels on stop", async () => {
      const name = unique("eureka-orders");
      const [APP, id] = [name.toUpperCase(), `${name}-1`];
      const orders = eurekaClient({ app: name, id, port: 7101 });
      expect(await start(orders)).toBeNull();
      // Into Meshdeck's own registry, under the lower-case service name.
      const service = await admin.get(`/api/v1/services/${name}`);
      expect(service.body.instances).toEqual([expect.objectContaining({ id, address: "127.0.0.1:7101", health: "passing" })]);

      // The client emits its events, which its types leave out.
      await new Promise((resolve) => (orders as unknown as EventEmitter).once("heartbeat", resolve));
      await eventually(
        async () => ids(orders, APP),
        (found) => found.includes(id),
      );
      const [seen] = orders.getInstancesByAppId(name) as unknown as Record<string, unknown>[];
      expect(seen).toMatchObject({
        app: APP,
        status: "UP",
        port: { $: 7101, "@enabled": "true" },
        statusPageUrl: "http://127.0.0.1:7101/info",
        vipAddress: name,
      });

      // Eureka's status override is a drain in Meshdeck: the instance leaves the client's list of UP instances.
      expect((await call("PUT", `/apps/${APP}/${id}/status?value=OUT_OF_SERVICE`)).status).toBe(200);
      await eventually(
        async () => ids(orders, APP),
        (found) => found.length === 0,
      );
      expect((await admin.get(`/api/v1/services/${name}`)).body.instances[0]).toMatchObject({ enabled: false });
      const audit = await admin.get(`/api/v1/audit?service=${name}&action=instance.enabled`);
      expect(JSON.stringify(audit.body)).toContain("eureka status override OUT_OF_SERVICE");
      expect((await call("DELETE", `/apps/${APP}/${id}/status`)).status).toBe(200);
      await eventually(
        async () => ids(orders, APP),
        (found) => found.includes(id),
      );

      // A drain made through Meshdeck's governance API shows as OUT_OF_SERVICE.
      const selector = { service: name, ids: [id] };
      expect(
        (await admin.post("/api/v1/governance/instances", { selector, change: { enabled: false }, force: true, reason: "integration: drain" })).status,
      ).toBe(200);
      expect((await json(`/apps/${APP}/${id}`)).instance).toMatchObject({ status: "OUT_OF_SERVICE", overriddenStatus: "OUT_OF_SERVICE" });
      await eventually(
        async () => ids(orders, APP),
        (found) => found.length === 0,
      );
      expect((await admin.post("/api/v1/governance/instances", { selector, change: { reset: true } })).status).toBe(200);
      await eventually(
        async () => ids(orders, APP),
        (found) => found.includes(id),
      );

      // stop() cancels the lease: the instance is deregistered.
      await new Promise((resolve) => orders.stop(resolve));
      expect((await admin.get(`/api/v1/services/${name}`)).body.instances).toEqual([]);
      expect((await call("PUT", `/apps/${APP}/${id}`)).status).toBe(404);
    });

    test("a client with a wrong token is refused", async () => {
      const name = unique("eureka-intruder");
      const intruder = eurekaClient({ app: name, id: `${name}-1`, port: 7102, password: "mdk_not-a-token" });
      expect(String(await start(intruder))).toContain("status: 401");
      intruder.stop();
      expect((await admin.get(`/api/v1/services/${name}`)).status).toBe(404);
    });
  });

  describe("over raw HTTP", () => {
    const xmlInstance = (app: string, id: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><instance><instanceId>${id}</instanceId><hostName>payments.local</hostName><app>${app}</app>` +
      `<ipAddr>127.0.0.1</ipAddr><status>UP</status><port enabled="true">7201</port><securePort enabled="false">443</securePort>` +
      `<dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name></dataCenterInfo>` +
      `<leaseInfo><durationInSecs>1</durationInSecs></leaseInfo><metadata><zone>a</zone></metadata><vipAddress>${app.toLowerCase()}-vip</vipAddress></instance>`;
    const asXml = { "content-type": "application/xml" };

    test("registers from XML, answers XML and JSON, renews, expires and cancels", async () => {
      const APP = unique("eureka-payments").toUpperCase();
      const id = `${APP.toLowerCase()}-1`;
      expect((await call("GET", "/apps/delta", { headers: { accept: "application/json" } })).status).toBe(200);
      expect((await call("POST", `/apps/${APP}`, { headers: asXml, body: xmlInstance(APP, id) })).status).toBe(204);

      const xml = await call("GET", "/apps/", { headers: { accept: "application/xml" } });
      expect([xml.status, xml.headers.get("content-type")]).toEqual([200, "application/xml"]);
      expect(xml.text).toContain(`<application><name>${APP}</name><instance><instanceId>${id}</instanceId><hostName>payments.local</hostName>`);
      expect(xml.text).toContain('<port enabled="true">7201</port>');
      const all = await json("/apps/");
      expect(all.applications.apps__hashcode).toMatch(/UP_\d+_/);
      expect(all.applications.application).toContainEqual({
        name: APP,
        instance: [expect.objectContaining({ instanceId: id, metadata: { zone: "a" }, status: "UP" })],
      });
      // The same under Netflix's /eureka/v2/, and by VIP address.
      expect((await call("GET", `/v2/apps/${APP}`, { headers: { accept: "application/json" } })).status).toBe(200);
      expect((await json(`/vips/${APP.toLowerCase()}-vip`)).applications.application[0].instance[0].instanceId).toBe(id);
      // The delta names the new instance; this app process started under 3 minutes ago, so its hashcode sends clients to a full fetch.
      const delta = await json("/apps/delta");
      expect(delta.applications.application).toContainEqual({ name: APP, instance: [expect.objectContaining({ instanceId: id, actionType: "ADDED" })] });
      expect(delta.applications.apps__hashcode).toMatch(/RESYNC_0_$/);

      // Renewals keep the lease; without them it expires (1 s here) and the instance is DOWN.
      expect((await call("PUT", `/apps/${APP}/${id}?status=UP&lastDirtyTimestamp=1`)).status).toBe(200);
      await eventually(
        async () => (await json(`/apps/${APP}/${id}`)).instance.status,
        (status) => status === "DOWN",
      );
      expect((await call("PUT", `/apps/${APP}/${id}`)).status).toBe(200);
      expect((await json(`/apps/${APP}/${id}`)).instance.status).toBe("UP");

      expect((await call("DELETE", `/apps/${APP}/${id}`)).status).toBe(200);
      expect((await call("DELETE", `/apps/${APP}/${id}`)).status).toBe(404);
      expect((await call("PUT", `/apps/${APP}/${id}`)).status).toBe(404);
      expect((await call("GET", `/apps/${APP}/${id}`)).status).toBe(404);
    });

    test("refuses bad credentials and hostile bodies, storing nothing", async () => {
      const none = await fetch(`${eurekaUrl}/apps`);
      expect([none.status, none.headers.get("www-authenticate")]).toEqual([401, 'Basic realm="Meshdeck Eureka API"']);
      expect((await call("GET", "/apps", { headers: { authorization: basic("mdk_wrong") } })).status).toBe(401);
      expect((await call("GET", "/apps", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

      const APP = unique("eureka-hostile").toUpperCase();
      const id = `${APP.toLowerCase()}-1`;
      const asJson = { "content-type": "application/json" };
      const refused = [
        await call("POST", `/apps/${APP}`, { headers: asXml, body: `<!DOCTYPE x [<!ENTITY a "aaaa">]>${xmlInstance(APP, id)}` }),
        await call("POST", `/apps/${APP}`, { headers: asXml, body: "<instance><app>" }),
        await call("POST", `/apps/${APP}`, { headers: asXml, body: xmlInstance("EUREKA-ELSEWHERE", id) }),
        await call("POST", `/apps/${APP}`, {
          headers: asJson,
          body: JSON.stringify({ instance: { app: APP, instanceId: id, hostName: "h", ipAddr: "169.254.169.254", port: 80 } }),
        }),
        await call("POST", `/apps/${APP}`, { headers: asJson, body: `{"instance":${"[".repeat(100)}${"]".repeat(100)}}` }),
        await call("POST", `/apps/${APP}`, { headers: { "content-type": "text/plain" }, body: "instance" }),
        await call("POST", `/apps/${APP}`, { headers: asXml, body: `<instance><note>${"x".repeat(2_000_000)}</note></instance>` }),
      ];
      expect(refused.map(({ status }) => status)).toEqual([400, 400, 400, 422, 422, 415, 413]);
      expect((await call("GET", `/apps/${APP}`)).status).toBe(404);
      expect((await admin.get(`/api/v1/services/${APP.toLowerCase()}`)).status).toBe(404);
      expect((await call("PUT", `/apps/${APP}/${id}/status?value=SLEEPING`)).status).toBe(422);
      expect((await call("GET", "/nowhere")).status).toBe(404);
    });
  });
});
