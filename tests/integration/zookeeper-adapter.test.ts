// The ZooKeeper source adapter against a real ZooKeeper (Debian's), with registrations written the way Dubbo and
// Curator write them, each provider from a ZooKeeper session of its own: listing, watching, removal when a
// provider's session ends, write-through of overrides in each framework's form, and recovery after an outage.
import { createHash } from "node:crypto";
import zookeeper, { type Client } from "node-zookeeper-client";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { asError } from "@/lib/errors";
import type { TSkipReport, TSourceChange, TSourceEvents, TSourceInstance, TSourceSettings } from "@/lib/sources/types";
import { rulesFromDocument, applyRules } from "@/lib/sources/zookeeper/dubbo-rules";
import { ZookeeperAdapter } from "@/lib/sources/zookeeper/zookeeper-adapter";
import { create, getChildren, getData, mkdirp } from "@/lib/sources/zookeeper/zk";
import { sleep } from "../support/server-process";
import { startZookeeper, type TZookeeper } from "../support/zookeeper";

let zk: TZookeeper;
const clients: Client[] = [];
const adapters: ZookeeperAdapter[] = [];

beforeAll(async () => {
  zk = await startZookeeper();
  console.log(`zookeeper: serving in ${zk.startedInMs} ms on ${zk.connectString}`);
}, 60_000);

afterAll(async () => {
  await Promise.all(adapters.map((adapter) => adapter.stop()));
  for (const client of clients) client.close();
  await zk?.stop();
});

/** A ZooKeeper session of its own, as a provider process holds one. */
async function session(sessionTimeout = 4000): Promise<Client> {
  const client = zookeeper.createClient(zk.connectString, { sessionTimeout, spinDelay: 200 });
  clients.push(client);
  const connected = new Promise<void>((resolve) => client.once("connected", resolve));
  client.connect();
  await connected;
  return client;
}

function closeSession(client: Client): Promise<void> {
  return new Promise((resolve) => {
    client.once("disconnected", resolve);
    client.close();
  });
}

async function until<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** What a consumer of the adapter keeps: every change, every state, and the instances they add up to. */
function recorder() {
  const changes: TSourceChange[] = [];
  const states: { connected: boolean; error?: string }[] = [];
  const view = new Map<string, TSourceInstance>();
  const skips: TSkipReport[] = [];
  const events: TSourceEvents = {
    async onChange(change) {
      changes.push(change);
      if (change.kind === "snapshot") view.clear();
      for (const instance of change.kind === "snapshot" ? change.instances : change.upserted) view.set(instance.instanceId, instance);
      if (change.kind === "changes") for (const { instanceId } of change.removed) view.delete(instanceId);
    },
    onState: (state) => states.push(state),
    onSkipped: (report) => skips.push(report),
  };
  return { changes, states, view, events, skips };
}

function settings(overrides: Partial<TSourceSettings>): TSourceSettings {
  return {
    name: "zk-test",
    kind: "zookeeper",
    convention: "dubbo",
    endpoints: [zk.connectString],
    prefix: "/dubbo",
    username: null,
    password: null,
    tls: null,
    ...overrides,
  };
}

function startAdapter(overrides: Partial<TSourceSettings>) {
  const adapter = new ZookeeperAdapter(settings(overrides), { sessionTimeoutMs: 6000 });
  adapters.push(adapter);
  const record = recorder();
  adapter.start(record.events);
  return { adapter, ...record };
}

const providerUrl = (iface: string, port: number, extra = "") =>
  `dubbo://127.0.0.1:${port}/${iface}?anyhost=true&application=demo&interface=${iface}&methods=sayHello&side=provider&timestamp=1733000000000${extra}`;

/** Registers a provider as Dubbo's ZookeeperRegistry does: persistent parents, an ephemeral node named by the URL. */
async function registerDubbo(client: Client, url: string) {
  const iface = new URL(url.replace(/^dubbo:/, "http:")).pathname.slice(1);
  await mkdirp(client, `/dubbo/${iface}/providers`);
  const path = `/dubbo/${iface}/providers/${encodeURIComponent(url)}`;
  await create(client, path, "127.0.0.1", zookeeper.CreateMode.EPHEMERAL);
  return path;
}

describe("Dubbo providers", () => {
  const iface = "com.foo.BarService";
  const configPath = `/dubbo/config/dubbo/${iface}::.configurators`;
  let provider: Client;
  let providerPath: string;
  let run: ReturnType<typeof startAdapter>;

  test("lists what is registered, then the changes as providers come and go", async () => {
    provider = await session();
    providerPath = await registerDubbo(provider, providerUrl(iface, 20880, "&weight=200"));
    // A node that does not decode is skipped and reported, never a reason to stop.
    await create(provider, `/dubbo/${iface}/providers/not%20a%20url`, "", zookeeper.CreateMode.EPHEMERAL);

    run = startAdapter({});
    await until("the first snapshot", () => run.states.some((state) => state.connected));
    expect(run.changes[0]).toMatchObject({
      kind: "snapshot",
      instances: [
        expect.objectContaining({ instanceId: `${iface}:127.0.0.1:20880`, service: iface, host: "127.0.0.1", port: 20880, weight: 200, enabled: true }),
      ],
    });
    expect(run.skips.at(-1)).toEqual({
      count: 1,
      recent: [{ key: `/dubbo/${iface}/providers/not%20a%20url`, reason: expect.stringContaining("is not a Dubbo URL") }],
    });

    const other = await session();
    await registerDubbo(other, providerUrl(iface, 20881));
    await registerDubbo(other, providerUrl("com.foo.OtherService", 20881, "&version=2.0.0&group=blue"));
    await until("both new providers", () => run.view.size === 3);
    expect([...run.view.keys()].sort()).toEqual([`${iface}:127.0.0.1:20880`, `${iface}:127.0.0.1:20881`, "com.foo.OtherService:127.0.0.1:20881:blue:2.0.0"]);
    expect(run.changes.slice(1).every((change) => change.kind === "changes")).toBe(true);

    // Ending the provider's session deletes its ephemeral nodes: the instances go away.
    const closedAt = Date.now();
    await closeSession(other);
    await until("the removals", () => run.view.size === 1);
    console.log(`zookeeper: removal seen ${Date.now() - closedAt} ms after the provider's session closed`);
    const removed = run.changes.flatMap((change) => (change.kind === "changes" ? change.removed : []));
    expect(removed.map(({ instanceId }) => instanceId).sort()).toEqual([`${iface}:127.0.0.1:20881`, "com.foo.OtherService:127.0.0.1:20881:blue:2.0.0"]);
    // Dubbo's provider nodes are ephemeral: they went with the provider's session.
    expect(new Set(removed.map(({ cause }) => cause))).toEqual(new Set(["session expired"]));
  });

  test("writes overrides in Dubbo Admin's form, keeping others' rules; Dubbo's clients apply it, the listing keeps what was registered", async () => {
    // Rules Dubbo Admin wrote before: a weight for another provider and a consumer timeout.
    const admin = `configVersion: v2.7
scope: service
key: ${iface}
enabled: true
configs:
- type: weight
  enabled: true
  addresses: [10.9.9.9:20880]
  side: provider
  parameters:
    weight: 400
- addresses: [0.0.0.0]
  side: consumer
  parameters:
    timeout: 3000
`;
    await mkdirp(provider, "/dubbo/config/dubbo");
    await create(provider, configPath, admin);
    const before = await getData(provider, providerPath);
    const instance = run.view.get(`${iface}:127.0.0.1:20880`)!;

    await run.adapter.writeOverride({ instance, override: { weight: 50, enabled: false } });
    const text = (await getData(provider, configPath))!.data;
    const read = rulesFromDocument(text);
    expect("rules" in read && applyRules(instance, read.rules)).toMatchObject({ weight: 50, enabled: false });
    // Meshdeck's own rule is the catalog's override: folded into the listing, a reset would restore 50, not 200.
    await sleep(500);
    expect(run.view.get(instance.instanceId)).toMatchObject({ weight: 200, enabled: true });

    const document = parse(text) as { configs: unknown[] };
    expect(document).toMatchObject({ configVersion: "v2.7", scope: "service", key: iface, enabled: true });
    expect(document.configs).toEqual([
      ...(parse(admin) as { configs: unknown[] }).configs,
      { type: "meshdeck", enabled: true, addresses: ["127.0.0.1:20880"], side: "provider", parameters: { weight: 50, disabled: true } },
    ]);
    // The registration itself is never rewritten.
    expect(await getData(provider, providerPath)).toEqual(before);
    expect(await getChildren(provider, `/dubbo/${iface}/providers`)).toContain(providerPath.split("/").at(-1));

    await run.adapter.writeOverride({ instance, override: { weight: null, enabled: null } });
    expect(run.view.get(instance.instanceId)).toMatchObject({ weight: 200, enabled: true });
    expect((parse((await getData(provider, configPath))!.data) as { configs: unknown[] }).configs).toEqual((parse(admin) as { configs: unknown[] }).configs);
  });

  test("a legacy override:// rule under the interface's configurators is applied too", async () => {
    const rule = encodeURIComponent(`override://127.0.0.1:20880/${iface}?category=configurators&dynamic=false&enabled=true&weight=33`);
    await mkdirp(provider, `/dubbo/${iface}/configurators`);
    await create(provider, `/dubbo/${iface}/configurators/${rule}`, "");
    await until("the legacy rule's weight", () => run.view.get(`${iface}:127.0.0.1:20880`)?.weight === 33);
  });

  test("when ZooKeeper goes away it says so, and once back it sends a snapshot equal to what it had, and nothing more", async () => {
    const had = [...run.view.values()];
    const states = run.states.length;
    const snapshots = run.changes.filter((change) => change.kind === "snapshot").length;

    await zk.stopServer();
    await until("the disconnected state", () => run.states.slice(states).some((state) => !state.connected), 5000);
    expect(run.states.at(-1)).toEqual({ connected: false, error: expect.any(String) });
    await expect(run.adapter.writeOverride({ instance: had[0]!, override: { weight: 1, enabled: null } })).rejects.toThrow("not connected");

    await zk.startServer();
    const backAt = Date.now();
    await until("a new snapshot", () => run.changes.filter((change) => change.kind === "snapshot").length > snapshots, 10_000);
    await until("the connected state", () => run.states.at(-1)?.connected);
    console.log(`zookeeper: restarted in ${zk.startedInMs} ms; snapshot ${Date.now() - backAt} ms after it served again`);
    const snapshot = run.changes.at(-1)!;
    const byId = (a: TSourceInstance, b: TSourceInstance) => a.instanceId.localeCompare(b.instanceId);
    expect(snapshot.kind === "snapshot" && [...snapshot.instances].sort(byId)).toEqual(had.sort(byId));
    const after = run.changes.length;
    await sleep(500);
    expect(run.changes.length).toBe(after);
  });

  test("when ZooKeeper comes back without the session, it opens a new one, snapshots what is there and watches again", async () => {
    const states = run.states.length;
    const snapshots = run.changes.filter((change) => change.kind === "snapshot").length;
    await zk.stopServer();
    await until("the disconnected state", () => run.states.slice(states).some((state) => !state.connected), 5000);
    await zk.startServer({ freshData: true });
    const backAt = Date.now();
    await until("a snapshot from a new session", () => run.changes.filter((change) => change.kind === "snapshot").length > snapshots, 10_000);
    console.log(`zookeeper: new session's snapshot ${Date.now() - backAt} ms after the server came back empty`);
    expect(run.changes.at(-1)).toMatchObject({ kind: "snapshot", instances: [] });
    await until("the connected state", () => run.states.at(-1)?.connected);

    const again = await session();
    await registerDubbo(again, providerUrl(iface, 20882));
    await until("a provider registered after the new session", () => run.view.has(`${iface}:127.0.0.1:20882`));
    await closeSession(again);
    await until("its removal", () => run.view.size === 0);
  });
});

describe("Curator service discovery", () => {
  const id = "3f1e4a52-9c2b-4d0e-8f6a-1b2c3d4e5f60";
  const path = `/services/orders/${id}`;
  const registration = JSON.stringify({
    name: "orders",
    id,
    address: "127.0.0.1",
    port: 8080,
    sslPort: null,
    payload: { "@class": "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance", id: "orders", name: "orders", metadata: { zone: "a" } },
    registrationTimeUTC: 1733000000000,
    serviceType: "DYNAMIC",
    uriSpec: {
      parts: [
        { value: "scheme", variable: true },
        { value: "://", variable: false },
        { value: "address", variable: true },
        { value: ":", variable: false },
        { value: "port", variable: true },
      ],
    },
  });

  test("lists instances, writes overrides under the Meshdeck prefix and sees an instance go with its session", async () => {
    const provider = await session();
    await mkdirp(provider, "/services/orders");
    await create(provider, path, registration, zookeeper.CreateMode.EPHEMERAL);

    const run = startAdapter({ convention: "curator", prefix: "/services" });
    await until("the first snapshot", () => run.states.some((state) => state.connected));
    expect(run.changes[0]).toMatchObject({
      kind: "snapshot",
      instances: [
        {
          instanceId: id,
          service: "orders",
          host: "127.0.0.1",
          port: 8080,
          weight: 100,
          enabled: true,
          tags: [],
          metadata: expect.objectContaining({ serviceType: "DYNAMIC", "metadata.zone": "a", uriSpec: "{scheme}://{address}:{port}" }),
        },
      ],
    });

    const instance = run.view.get(id)!;
    const told = run.changes.length;
    await run.adapter.writeOverride({ instance, override: { weight: 5, enabled: null } });
    expect(JSON.parse((await getData(provider, `/meshdeck/overrides/orders/${id}`))!.data)).toEqual({ weight: 5, enabled: null });
    expect((await getData(provider, path))!.data).toBe(registration);

    await run.adapter.writeOverride({ instance, override: { weight: null, enabled: false } });
    await run.adapter.writeOverride({ instance, override: { weight: null, enabled: null } });
    expect(await getData(provider, `/meshdeck/overrides/orders/${id}`)).toBeNull();
    // The override nodes are the catalog's overrides: the listing keeps what the instance registered and tells nothing.
    await sleep(500);
    expect(run.changes.length).toBe(told);
    expect(run.view.get(id)).toMatchObject({ weight: 100, enabled: true });

    await closeSession(provider);
    await until("the instance gone", () => run.view.size === 0);
    const removed = run.changes.flatMap((change) => (change.kind === "changes" ? change.removed : []));
    expect(removed).toEqual([{ instanceId: id, cause: "session expired", seenAt: expect.any(Number) }]);
  });
});

describe("a change the consumer fails to take", () => {
  test("is followed by a fresh snapshot, so nothing is lost", async () => {
    const provider = await session();
    await mkdirp(provider, "/retry/payments");
    const adapter = new ZookeeperAdapter(settings({ convention: "curator", prefix: "/retry" }), { sessionTimeoutMs: 6000 });
    adapters.push(adapter);
    const record = recorder();
    let failures = 0;
    adapter.start({
      ...record.events,
      async onChange(change) {
        if (change.kind === "changes" && failures++ === 0) throw new Error("the database is busy");
        await record.events.onChange(change);
      },
    });
    await until("the first snapshot", () => record.states.some((state) => state.connected));
    const data = JSON.stringify({ name: "payments", id: "p-1", address: "127.0.0.1", port: 7070, payload: null });
    await create(provider, "/retry/payments/p-1", data, zookeeper.CreateMode.EPHEMERAL);
    await until("the instance, from a snapshot after the failed change", () => record.view.has("p-1"));
    expect(failures).toBe(1);
    expect(record.changes.map((change) => change.kind)).toEqual(["snapshot", "snapshot"]);
  });
});

describe("digest authentication", () => {
  const digest = (user: string, password: string) => `${user}:${createHash("sha1").update(`${user}:${password}`).digest("base64")}`;

  test("with the source's credentials it reads nodes only they may read; without them those are left out", async () => {
    const owner = await session();
    owner.addAuthInfo("digest", Buffer.from("meshdeck:s3cret"));
    await mkdirp(owner, "/secure");
    const acl = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id("digest", digest("meshdeck", "s3cret")))];
    await new Promise<void>((resolve, reject) =>
      owner.create("/secure/orders", acl, zookeeper.CreateMode.PERSISTENT, (error) => (error ? reject(asError(error)) : resolve())),
    );
    const data = JSON.stringify({ name: "orders", id: "o-1", address: "127.0.0.1", port: 9090, payload: null, serviceType: "DYNAMIC" });
    await new Promise<void>((resolve, reject) =>
      owner.create("/secure/orders/o-1", Buffer.from(data), acl, zookeeper.CreateMode.EPHEMERAL, (error) => (error ? reject(asError(error)) : resolve())),
    );

    const allowed = startAdapter({ convention: "curator", prefix: "/secure", username: "meshdeck", password: "s3cret" });
    const denied = startAdapter({ convention: "curator", prefix: "/secure" });
    await until("both snapshots", () => allowed.states.some((state) => state.connected) && denied.states.some((state) => state.connected));
    expect(allowed.changes[0]).toMatchObject({ kind: "snapshot", instances: [expect.objectContaining({ instanceId: "o-1", service: "orders", port: 9090 })] });
    expect(denied.changes[0]).toMatchObject({ kind: "snapshot", instances: [] });
  });
});
