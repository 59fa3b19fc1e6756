import Consul from "consul";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { eventually } from "../support/eventually";
import { freePort } from "../support/server-process";
import { startApp, type TAppTarget } from "../support/start-app";
import { describeTargetsSideBySide } from "../support/side-by-side";

// The npm `consul` client, as a Consul user's service uses it, against Meshdeck's Consul API: a second app process on
// each database serves it (MESHDECK_CONSUL_PORT), and a third allows script checks (MESHDECK_CONSUL_SCRIPT_CHECKS=1).
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

type TServiceEntry = { Service: { ID: string; Tags: string[]; Weights: { Passing: number } }; Checks: { CheckID: string; Status: string }[] };
// The text Meshdeck (as Consul) answered with; the client keeps only short ones as the message.
const bodyOf = (error: unknown) => {
  const body = (error as { response?: { body?: unknown } }).response?.body;
  return typeof body === "string" ? body : (error as Error).message;
};
const statusOf = (error: unknown) => (error as { response?: { statusCode?: number } }).response?.statusCode;

async function refusal(call: Promise<unknown>): Promise<{ status: number | undefined; body: string }> {
  try {
    await call;
  } catch (error) {
    return { status: statusOf(error), body: bodyOf(error) };
  }
  throw new Error("the call was accepted");
}

async function consulApp(target: TAppTarget, name: string, env: Record<string, string> = {}) {
  const consulPort = await freePort();
  const app = await startApp({
    name: `${target.name}-${name}`,
    port: await freePort(),
    databaseUrl: target.databaseUrl,
    admin: target.admin,
    env: { MESHDECK_CONSUL_PORT: String(consulPort), ...env },
  });
  stops.push(app.stop);
  return consulPort;
}

describeTargetsSideBySide("Consul API on $name", (target) => {
  let consul: Consul;
  let scripted: Consul;
  let port = 0;
  let token = "";
  let admin: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    ({ token, admin } = await adminAndToken(target, unique("consul")));
    port = await consulApp(target, "consul");
    const scriptPort = await consulApp(target, "consul-scripts", { MESHDECK_CONSUL_SCRIPT_CHECKS: "1" });
    consul = new Consul({ host: "127.0.0.1", port, defaults: { token } });
    scripted = new Consul({ host: "127.0.0.1", port: scriptPort, defaults: { token } });
  });

  const health = (service: string, passing = false) => consul.health.service({ service, passing }) as Promise<TServiceEntry[]>;

  test("the seed's Go registration: a script check refused unless an admin allows script checks", async () => {
    const name = unique("seed");
    // As the seed's Go code registers: ID, Name, Tags ["go"], Address, Port, a script Check.
    const service = {
      id: `${name}-1`,
      name,
      tags: ["go"],
      address: "127.0.0.1",
      port: 9000,
      check: { name: "check", script: "./check.sh", interval: "10s", timeout: "5s", deregistercriticalserviceafter: "1m" },
    };
    const refused = await refusal(consul.agent.service.register(service));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Scripts are disabled on this agent");
    expect(refused.body).toContain("MESHDECK_CONSUL_SCRIPT_CHECKS=1");
    expect(await health(name)).toEqual([]);

    await scripted.agent.service.register(service);
    const services = (await consul.agent.service.list()) as Record<string, { Service: string; Tags: string[]; Port: number }>;
    expect(services[`${name}-1`]).toMatchObject({ Service: name, Tags: ["go"], Port: 9000 });
    const [entry] = await health(name);
    expect(entry!.Checks[0]).toMatchObject({ CheckID: `service:${name}-1`, Type: "script" });
    // The instance shows in Meshdeck's own API, marked as registered through Consul.
    const page = await admin.get(`/api/v1/services/${name}`);
    expect(page.body.instances[0]).toMatchObject({ id: `${name}-1`, protocol: "consul", check: { kind: "script" } });
  });

  test("a TTL check passes and fails through the client; critical past DeregisterCriticalServiceAfter, it is removed", async () => {
    const name = unique("ttl");
    const id = `${name}-1`;
    await consul.agent.service.register({
      id,
      name,
      address: "127.0.0.1",
      port: 9001,
      check: { name: "ttl", ttl: "5s", timeout: "1s", deregistercriticalserviceafter: "2s" },
    });
    await consul.agent.check.pass({ id: `service:${id}` });
    expect((await health(name, true)).map((entry) => entry.Service.ID)).toEqual([id]);
    await consul.agent.check.warn({ id: `service:${id}`, note: "slow disk" });
    expect((await health(name))[0]!.Checks[0]).toMatchObject({ Status: "warning", Output: "slow disk" });
    expect(await health(name, true)).toEqual([]);
    await consul.agent.check.pass(`service:${id}`);
    expect((await health(name))[0]!.Checks[0]!.Status).toBe("passing");
    await consul.agent.check.fail({ id: `service:${id}`, note: "out of memory" });
    expect((await health(name))[0]!.Checks[0]).toMatchObject({ Status: "critical", Output: "out of memory" });
    // Failed and silent past its TTL and 2 s more: deregistered, as Consul's reaper does.
    await eventually(
      () => health(name),
      (entries) => entries.length === 0,
      { timeoutMs: 30_000, everyMs: 500 },
    );
    const gone = await refusal(consul.agent.check.pass(`service:${id}`));
    expect(gone.status).toBe(404);
  });

  test("a blocking query wakes on a change; ?passing drops a drained instance; maintenance drains", async () => {
    const name = unique("watched");
    for (const n of [1, 2]) {
      await consul.agent.service.register({
        id: `${name}-${n}`,
        name,
        address: "127.0.0.1",
        port: 9100 + n,
        tags: ["v1"],
        check: { name: "ttl", ttl: "60s", timeout: "1s" },
      });
    }
    expect((await health(name, true)).map((entry) => entry.Service.ID).sort()).toEqual([`${name}-1`, `${name}-2`]);

    const watch = consul.watch({ method: consul.health.service.bind(consul.health), options: { service: name, passing: true, wait: "20s" } as never });
    const seen: string[][] = [];
    watch.on("change", (entries: TServiceEntry[]) => seen.push(entries.map((entry) => entry.Service.ID).sort()));
    try {
      await eventually(
        async () => seen.length,
        (count) => count === 1,
      );
      // An operator drains one in Meshdeck: the watch wakes, and ?passing no longer lists it.
      const started = Date.now();
      const drained = await admin.post("/api/v1/governance/instances", { selector: { service: name, ids: [`${name}-2`] }, change: { enabled: false } });
      expect(drained.status).toBe(200);
      await eventually(
        async () => seen.at(-1),
        (last) => last?.length === 1,
        { timeoutMs: 10_000 },
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(seen.at(-1)).toEqual([`${name}-1`]);
    } finally {
      watch.end();
    }
    const all = await health(name);
    const drainedEntry = all.find((entry) => entry.Service.ID === `${name}-2`)!;
    expect(drainedEntry.Checks.map((check) => [check.CheckID, check.Status])).toContainEqual([`_service_maintenance:${name}-2`, "critical"]);

    // Maintenance through the client is the same drain, audited.
    await consul.agent.service.maintenance({ id: `${name}-1`, enable: true, reason: "deploying" });
    expect(await health(name, true)).toEqual([]);
    const audit = await admin.get(`/api/v1/audit?service=${name}`);
    expect(JSON.stringify(audit.body)).toContain("deploying");
    await consul.agent.service.maintenance({ id: `${name}-1`, enable: false });
    expect((await health(name, true)).map((entry) => entry.Service.ID)).toEqual([`${name}-1`]);
  });

  test("filters, catalog reads and the X-Consul-Index of a blocking query", async () => {
    const name = unique("filtered");
    await consul.agent.service.register({
      id: `${name}-a`,
      name,
      address: "127.0.0.1",
      port: 9201,
      tags: ["blue"],
      meta: { zone: "a" },
      check: { name: "ttl", ttl: "60s", timeout: "1s" },
    });
    await consul.agent.service.register({
      id: `${name}-b`,
      name,
      address: "127.0.0.1",
      port: 9202,
      tags: ["green"],
      meta: { zone: "b" },
      check: { name: "ttl", ttl: "60s", timeout: "1s" },
    });
    const byTag = (await consul.health.service({ service: name, filter: 'Service.Tags contains "blue"' })) as TServiceEntry[];
    expect(byTag.map((entry) => entry.Service.ID)).toEqual([`${name}-a`]);
    const byMeta = (await consul.catalog.service.nodes({ service: name, filter: 'ServiceMeta.zone == "b" or ServiceMeta.zone == "c"' })) as {
      ServiceID: string;
    }[];
    expect(byMeta.map((entry) => entry.ServiceID)).toEqual([`${name}-b`]);
    const agent = (await consul.agent.service.list({ filter: `Service == "${name}" and Tags contains "green"` })) as Record<string, unknown>;
    expect(Object.keys(agent)).toEqual([`${name}-b`]);
    const refused = await refusal(consul.health.service({ service: name, filter: 'Service.Service matches "x.*"' }));
    expect(refused.status).toBe(400);
    const services = (await consul.catalog.service.list()) as Record<string, string[]>;
    expect(services[name]).toEqual(["blue", "green"]);

    const base = `http://127.0.0.1:${port}/v1/health/service/${name}`;
    const first = await fetch(base, { headers: { "x-consul-token": token } });
    const index = Number(first.headers.get("x-consul-index"));
    expect(index).toBeGreaterThan(0);
    const began = Date.now();
    const idle = await fetch(`${base}?index=${index}&wait=700ms`, { headers: { "x-consul-token": token } });
    expect(Date.now() - began).toBeGreaterThanOrEqual(650);
    expect(Number(idle.headers.get("x-consul-index"))).toBe(index);
    const waiting = fetch(`${base}?index=${index}&wait=20s`, { headers: { authorization: `Bearer ${token}` } });
    await consul.agent.service.deregister(`${name}-a`);
    const woken = await waiting;
    expect(Number(woken.headers.get("x-consul-index"))).toBeGreaterThan(index);
    expect(((await woken.json()) as TServiceEntry[]).map((entry) => entry.Service.ID)).toEqual([`${name}-b`]);
  });

  test("KV is the config center, read-only: get, raw, recurse, a blocking get, and writes refused", async () => {
    const group = unique("kvgroup");
    const key = `dev/${group}/feature.flags`;
    // An operator publishes in Meshdeck; a token reads through KV and may not write.
    const publish = async (path: string, content: string, baseVersion: number) =>
      expect((await admin.put(`/api/v1/config/items/${path}`, { format: "text", content, message: "x", baseVersion })).status).toBe(200);
    expect(await consul.kv.get(key)).toBeUndefined();
    expect(await refusal(consul.kv.set(key, "on"))).toEqual({ status: 403, body: "Permission denied: KV is read-only; publish config in Meshdeck\n" });
    expect((await refusal(consul.kv.del(key))).status).toBe(403);
    expect((await admin.get(`/api/v1/config/items/${key}`)).status).toBe(404);
    await publish(key, "on", 0);
    expect(await consul.kv.get(key)).toMatchObject({ Key: key, Value: "on" });
    expect(await consul.kv.get({ key, raw: true })).toBeDefined();
    await publish(`dev/${group}/other`, "x", 0);
    const all = (await consul.kv.get({ key: `dev/${group}/`, recurse: true })) as { Key: string; Value: string }[];
    expect(all.map((pair) => [pair.Key, pair.Value])).toEqual([
      [key, "on"],
      [`dev/${group}/other`, "x"],
    ]);

    const url = `http://127.0.0.1:${port}/v1/kv/${key}`;
    const first = await fetch(url, { headers: { "x-consul-token": token } });
    const index = first.headers.get("x-consul-index");
    const waiting = fetch(`${url}?index=${index}&wait=20s`, { headers: { "x-consul-token": token } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(key, "off", 1);
    const woken = (await (await waiting).json()) as { Value: string }[];
    expect(Buffer.from(woken[0]!.Value, "base64").toString()).toBe("off");
  });

  test("a bad or missing token is 403 Permission denied, as Consul answers", async () => {
    const stranger = new Consul({ host: "127.0.0.1", port, defaults: { token: "md_not-a-token" } });
    const denied = await refusal(stranger.catalog.service.list());
    expect(denied).toEqual({ status: 403, body: "Permission denied\n" });
    const anonymous = new Consul({ host: "127.0.0.1", port });
    expect((await refusal(anonymous.agent.service.register({ name: "x", port: 1 }))).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${port}/v1/status/leader`)).status).toBe(200);
  });

  test("a token narrowed to a service prefix registers and drains there only, refused elsewhere naming the service", async () => {
    const name = unique("scoped");
    const other = unique("unscoped");
    const created = await admin.post("/api/v1/tokens", {
      name: unique("consul-scoped"),
      permissions: [{ permission: "registry.register", services: [`${name}*`] }],
    });
    expect(created.status).toBe(201);
    const scoped = new Consul({ host: "127.0.0.1", port, defaults: { token: created.body.token } });
    await scoped.agent.service.register({ id: `${name}-1`, name, address: "127.0.0.1", port: 9000 });
    await scoped.agent.service.maintenance({ id: `${name}-1`, enable: true, reason: "deploying" });
    await consul.agent.service.register({ id: `${other}-1`, name: other, address: "127.0.0.1", port: 9001 });
    expect(await refusal(scoped.agent.service.register({ id: `${other}-2`, name: other, address: "127.0.0.1", port: 9002 }))).toEqual({
      status: 403,
      body: `Permission denied: this API token lacks registry.register for service '${other}'\n`,
    });
    expect((await refusal(scoped.agent.service.maintenance({ id: `${other}-1`, enable: true, reason: "not mine" }))).status).toBe(403);
    expect((await refusal(scoped.agent.service.deregister(`${other}-1`))).status).toBe(403);
    expect((await health(other)).map((entry) => entry.Service.ID)).toEqual([`${other}-1`]);
    // Reading the catalog was not granted.
    expect(await refusal(scoped.catalog.service.list())).toEqual({ status: 403, body: "Permission denied: this API token lacks services.read\n" });
  });

  test("hostile input: a body past the cap, deep JSON, control characters and link-local addresses store nothing", async () => {
    const put = (body: string) => fetch(`http://127.0.0.1:${port}/v1/agent/service/register`, { method: "PUT", headers: { "x-consul-token": token }, body });
    expect((await put("x".repeat(200 * 1024))).status).toBe(413);
    expect((await put("[".repeat(100) + "]".repeat(100))).status).toBe(400);
    const name = unique("hostile");
    for (const body of [
      { Name: name, Port: 9000, Address: "169.254.169.254" },
      { Name: name, Port: 9000, Address: "127.0.0.1", Tags: ["\u0000"] },
      { Name: name, Port: 9000, Address: "127.0.0.1", Check: { HTTP: "http://169.254.169.254/latest/meta-data", Interval: "1s" } },
      { Name: name, Port: 9000, Address: "127.0.0.1", Check: { GRPC: "10.0.0.1:9000", Interval: "1s" } },
    ]) {
      expect((await put(JSON.stringify(body))).status).toBe(400);
    }
    expect(await health(name)).toEqual([]);
  });
});
