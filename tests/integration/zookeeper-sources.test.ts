// ZooKeeper as a source, end to end through the built app (SQLite and PostgreSQL): Dubbo providers and Curator
// instances registered from sessions of their own appear in the API, a weight change is read back in Dubbo
// Admin's configurator form, a drain under the Meshdeck prefix, and a provider's session ending is a failover.
import zookeeper, { type Client } from "node-zookeeper-client";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { create, getData, mkdirp } from "@/lib/sources/zookeeper/zk";
import { adminAndToken, apiClient } from "../support/client";
import { eventually } from "../support/eventually";
import { startZookeeper, type TZookeeper } from "../support/zookeeper";

const targets = inject("targets");
let zk: TZookeeper;
const clients: Client[] = [];

beforeAll(async () => {
  zk = await startZookeeper();
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await zk?.stop();
});

/** A ZooKeeper session of its own, as a provider process holds one. */
async function session(): Promise<Client> {
  const client = zookeeper.createClient(zk.connectString, { sessionTimeout: 4000, spinDelay: 200 });
  clients.push(client);
  const connected = new Promise<void>((resolve) => client.once("connected", resolve));
  client.connect();
  await connected;
  return client;
}

describe.each(targets)("ZooKeeper sources on $name", (target) => {
  let admin: ReturnType<typeof apiClient>;
  const tag = target.name === "sqlite" ? "s" : "p";

  beforeAll(async () => {
    ({ admin } = await adminAndToken(target, `zk-${tag}`));
  });

  const addSource = async (convention: string, prefix: string) => {
    const name = `zk-${convention}-${tag}`;
    const created = await admin.post("/api/v1/sources", { name, kind: "zookeeper", convention, endpoints: [zk.connectString], prefix });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return name;
  };
  const instancesOf = async (service: string) => {
    const response = await admin.get(`/api/v1/services/${service}`);
    return response.status === 200 ? (response.body.instances as { id: string; weight: number; enabled: boolean }[]) : [];
  };

  test("Dubbo providers: listed with their URL weight; a weight change is an override rule; a session ending is a failover", async () => {
    const iface = `com.example.${tag}.StockService`;
    const prefix = `/dubbo-${tag}`;
    const providers = [await session(), await session()];
    for (const [index, client] of providers.entries()) {
      const url = `dubbo://127.0.0.1:${20880 + index}/${iface}?application=stock&interface=${iface}&methods=get&side=provider&weight=${100 * (index + 1)}`;
      await mkdirp(client, `${prefix}/${iface}/providers`);
      await create(client, `${prefix}/${iface}/providers/${encodeURIComponent(url)}`, "127.0.0.1", zookeeper.CreateMode.EPHEMERAL);
    }
    await addSource("dubbo", prefix);
    const listed = await eventually(
      () => instancesOf(iface),
      (list) => list.length === 2,
    );
    expect(listed.map((instance) => instance.weight)).toEqual([100, 200]);
    const first = listed[0]!.id;

    const changed = await admin.post("/api/v1/governance/instances", { selector: { ids: [first] }, change: { weight: 30 }, reason: "canary" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const rules = await getData(providers[1]!, `${prefix}/config/dubbo/${iface}::.configurators`);
    expect(parse(rules!.data)).toMatchObject({
      configVersion: "v2.7",
      scope: "service",
      key: iface,
      configs: [{ addresses: ["127.0.0.1:20880"], side: "provider", parameters: { weight: 30 } }],
    });
    // Meshdeck's own rule is not what the provider registered: the listing (read again after the rule) keeps 100, so a reset restores it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const withRule = await admin.get(`/api/v1/services/${iface}`);
    expect(withRule.body.instances.find((instance: { id: string }) => instance.id === first)).toMatchObject({ weight: 30, registeredWeight: 100 });
    expect((await admin.post("/api/v1/governance/instances", { selector: { ids: [first] }, change: { reset: true } })).status).toBe(200);
    expect((await instancesOf(iface)).find((instance) => instance.id === first)).toMatchObject({ weight: 100 });

    providers[0]!.close();
    await eventually(
      () => instancesOf(iface),
      (list) => list.length === 1,
      { timeoutMs: 15_000 },
    );
    const events = await admin.get(`/api/v1/events?service=${iface}&kind=failover`);
    expect(events.body.events[0]).toMatchObject({
      kind: "failover",
      instanceId: first,
      reason: expect.stringMatching(/\(session expired\)$/),
      detectionMs: expect.any(Number),
    });
  }, 40_000);

  test("Curator instances: listed; a drain goes under /meshdeck/overrides and discovery leaves the instance out", async () => {
    const service = `ledger-${tag}`;
    const base = `/curator-${tag}`;
    const provider = await session();
    await mkdirp(provider, `${base}/${service}`);
    for (const id of ["a", "b"]) {
      const instance = {
        name: service,
        id: `${service}-${id}`,
        address: "127.0.0.1",
        port: id === "a" ? 21001 : 21002,
        sslPort: null,
        payload: { zone: id },
        registrationTimeUTC: 1733000000000,
        serviceType: "DYNAMIC",
        uriSpec: null,
      };
      await create(provider, `${base}/${service}/${instance.id}`, JSON.stringify(instance), zookeeper.CreateMode.EPHEMERAL);
    }
    const source = await addSource("curator", base);
    // Another source over the same nodes would list each instance twice.
    const overlapping = await admin.post("/api/v1/sources", {
      name: `${source}-again`,
      kind: "zookeeper",
      convention: "curator",
      endpoints: [zk.connectString],
      prefix: `${base}/${service}`,
    });
    expect([overlapping.status, overlapping.body.error?.field]).toEqual([422, "prefix"]);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 2,
    );
    expect((await admin.post("/api/v1/governance/instances", { selector: { ids: [`${service}-a`] }, change: { enabled: false } })).status).toBe(200);
    const override = await getData(provider, `/meshdeck/overrides/${service}/${service}-a`);
    expect(JSON.parse(override!.data)).toMatchObject({ enabled: false });
    const discovered = await admin.get(`/api/v1/discovery/${service}`);
    expect(discovered.body.instances.map((instance: { id: string }) => instance.id)).toEqual([`${service}-b`]);
  }, 40_000);
});
