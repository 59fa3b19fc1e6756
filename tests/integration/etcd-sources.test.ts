// etcd as a source, end to end: registrations written the way each framework writes them appear in the app's
// API, an expired lease is a failover, a weight change is read back in the framework's form, and an etcd outage
// shows as stale and heals. Against the built app (SQLite and PostgreSQL) and a real etcd.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminAndToken, apiClient, unique } from "../support/client";
import { startEtcd, type TEtcd } from "../support/etcd";
import { eventually } from "../support/eventually";

const targets = inject("targets");
let etcd: TEtcd;

beforeAll(async () => {
  etcd = await startEtcd();
}, 60_000);

afterAll(async () => {
  await etcd?.stop();
});

describe.each(targets)("etcd sources on $name", (target) => {
  let admin: ReturnType<typeof apiClient>;
  const tag = target.name === "sqlite" ? "s" : "p";

  beforeAll(async () => {
    ({ admin } = await adminAndToken(target, unique("etcd")));
  });

  const addSource = async (convention: string, prefix: string) => {
    const name = `${convention}-${tag}-${Date.now().toString(36)}`;
    const created = await admin.post("/api/v1/sources", { name, kind: "etcd", convention, endpoints: [etcd.endpoint], prefix });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return name;
  };
  const instancesOf = async (service: string) => {
    const response = await admin.get(`/api/v1/services/${service}`);
    return response.status === 200
      ? (response.body.instances as {
          id: string;
          weight: number;
          enabled: boolean;
          metadata: Record<string, string>;
          staleSince: string | null;
          source: string;
        }[])
      : [];
  };
  const change = (body: unknown) => admin.post("/api/v1/governance/instances", body);

  test("the seed's leased key -> URL form: it appears; its lease expiring is a failover event saying so, with its detection time", async () => {
    const service = `seed-${tag}`;
    const prefix = `/${tag}/services/`;
    const lease = etcd.client.lease(60, { autoKeepAlive: false });
    await lease.put(`${prefix}${service}/1`).value("http://127.0.0.1:19001");
    await etcd.client.put(`${prefix}${service}/2`).value("http://127.0.0.1:19002");
    const source = await addSource("url", prefix);
    const added = Date.now();
    const seen = await eventually(
      () => instancesOf(service),
      (list) => list.length === 2,
    );
    expect(seen.map((instance) => [instance.id, instance.source])).toEqual([
      ["1", source],
      ["2", source],
    ]);
    // The lease ends once a collector watches the source (a 2 s TTL raced a loaded machine: the key could be gone
    // before the collector's first listing, which cannot tell why). etcd deletes the key, as when a service dies.
    await eventually(
      async () => (await admin.get(`/api/v1/sources/${source}`)).body.source as { syncedBy: string | null; lastSyncAt: string | null },
      (view) => view.syncedBy !== null && view.lastSyncAt !== null && Date.parse(view.lastSyncAt) >= added,
    );
    await lease.revoke();
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    const events = await admin.get(`/api/v1/events?service=${service}&kind=failover`);
    expect(events.body.events[0]).toMatchObject({
      kind: "failover",
      instanceId: "1",
      takeover: [{ id: "2", share: 1 }],
      reason: `removed from ${source} (lease expired)`,
      detectionMs: expect.any(Number),
    });
    // A key deleted on its own says so; removing the source says that.
    await etcd.client.put(`${prefix}${service}/3`).value("http://127.0.0.1:19003");
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 2,
    );
    await etcd.client.delete().key(`${prefix}${service}/3`);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    expect((await admin.delete(`/api/v1/sources/${source}`)).status).toBe(204);
    const health = (await admin.get(`/api/v1/events?service=${service}&kind=health`)).body.events as {
      instanceId: string;
      reason: string;
      detectionMs: number | null;
      to: string;
    }[];
    const removals = health.filter((event) => event.to === "deregistered").map((event) => [event.instanceId, event.reason, typeof event.detectionMs]);
    expect(removals.sort()).toEqual([
      ["1", `removed from ${source} (lease expired)`, "number"],
      ["2", `removed from ${source} (source removed)`, "number"],
      ["3", `removed from ${source} (key deleted)`, "number"],
    ]);
  });

  test("go-micro's registry JSON: read with its metadata; a weight change goes under the Meshdeck prefix", async () => {
    const service = `greeter-${tag}`;
    const prefix = `/${tag}/micro/registry/`;
    const node = { id: `${service}-0f3a`, address: "127.0.0.1:19011", metadata: { protocol: "grpc", registry: "etcd", server: "grpc", transport: "grpc" } };
    await etcd.client
      .put(`${prefix}${service}/${node.id}`)
      .value(JSON.stringify({ name: service, version: "latest", metadata: null, endpoints: [], nodes: [node] }));
    await etcd.client
      .put(`${prefix}${service}/${service}-9c2e`)
      .value(JSON.stringify({ name: service, version: "latest", nodes: [{ ...node, id: `${service}-9c2e`, address: "127.0.0.1:19012" }] }));
    await addSource("go-micro", prefix);
    const [first] = await eventually(
      () => instancesOf(service),
      (list) => list.length === 2,
    );
    expect(first!.metadata).toMatchObject({ protocol: "grpc", version: "latest" });
    const changed = await change({ selector: { ids: [node.id] }, change: { weight: 25 }, reason: "canary" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(JSON.parse((await etcd.client.get(`/meshdeck/overrides/${service}/${node.id}`).string())!)).toEqual({ weight: 25 });
    const registration = JSON.parse((await etcd.client.get(`${prefix}${service}/${node.id}`).string())!);
    expect(registration.nodes[0]).toEqual(node);
    expect((await admin.get(`/api/v1/discovery/${service}`)).body.instances.find((i: { id: string }) => i.id === node.id).weight).toBe(25);
  });

  test("gRPC-Go naming endpoints: a drain goes under the Meshdeck prefix and discovery leaves the instance out", async () => {
    const service = `echo-${tag}`;
    const prefix = `/${tag}/grpc/`;
    await etcd.client.put(`${prefix}${service}/127.0.0.1:19021`).value(JSON.stringify({ Op: 0, Addr: "127.0.0.1:19021", Metadata: { zone: "a" } }));
    await etcd.client.put(`${prefix}${service}/127.0.0.1:19022`).value(JSON.stringify({ Op: 0, Addr: "127.0.0.1:19022", Metadata: { zone: "b" } }));
    // A second target served from the same address: its endpoint key names the same address.
    await etcd.client.put(`${prefix}ping-${tag}/127.0.0.1:19021`).value(JSON.stringify({ Op: 0, Addr: "127.0.0.1:19021" }));
    await addSource("grpc", prefix);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 2,
    );
    expect((await instancesOf(`ping-${tag}`)).map((instance) => instance.id)).toEqual([`ping-${tag}:127.0.0.1:19021`]);
    const id = `${service}:127.0.0.1:19021`;
    expect((await change({ selector: { ids: [id] }, change: { enabled: false } })).status).toBe(200);
    expect(JSON.parse((await etcd.client.get(`/meshdeck/overrides/${service}/${id}`).string())!)).toEqual({ enabled: false });
    const discovered = await admin.get(`/api/v1/discovery/${service}`);
    expect(discovered.body.instances.map((i: { id: string }) => i.id)).toEqual([`${service}:127.0.0.1:19022`]);
    expect(
      (await admin.get(`/api/v1/events?service=${service}&kind=failover`)).body.events.filter((e: { reason: string }) => e.reason.startsWith("removed")),
    ).toEqual([]);
  });

  test("gRPC-Go naming, etcd's own example: a target with no parent path is read with the target as the prefix", async () => {
    const target = `my-service-${tag}`;
    await etcd.client.put(`${target}/127.0.0.1:19051`).value(JSON.stringify({ Op: 0, Addr: "127.0.0.1:19051" }));
    await addSource("grpc", `${target}/`);
    const [seen] = await eventually(
      () => instancesOf(target),
      (list) => list.length === 1,
    );
    expect(seen).toMatchObject({ id: `${target}:127.0.0.1:19051` });
  });

  test("Kratos: the weight is written as metadata weight in the registration, keeping its lease; reset puts it back", async () => {
    const service = `orders-${tag}`;
    const prefix = `/${tag}/microservices/`;
    const lease = etcd.client.lease(60);
    const registration = {
      id: `${service}-1`,
      name: service,
      version: "v1",
      metadata: { weight: "10", region: "eu" },
      endpoints: ["http://127.0.0.1:19031?isSecure=false", "grpc://127.0.0.1:19131"],
    };
    await lease.put(`${prefix}${service}/${registration.id}`).value(JSON.stringify(registration));
    await addSource("kratos", prefix);
    const [seen] = await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    expect(seen).toMatchObject({ weight: 10 });
    expect((await change({ selector: { service }, change: { weight: 70 }, force: true, reason: "more" })).status).toBe(200);
    const stored = (await etcd.client.get(`${prefix}${service}/${registration.id}`).exec()).kvs[0]!;
    expect(JSON.parse(stored.value.toString())).toEqual({ ...registration, metadata: { weight: "70", region: "eu", "meshdeck.registered-weight": "10" } });
    expect(stored.lease).toBe(await lease.grant());
    expect((await change({ selector: { service }, change: { reset: true } })).status).toBe(200);
    expect(JSON.parse((await etcd.client.get(`${prefix}${service}/${registration.id}`).string())!)).toEqual(registration);
    await eventually(
      () => instancesOf(service),
      (list) => list[0]?.weight === 10 && list[0]?.metadata.weight === "10",
    );
    await lease.revoke();
  });

  const registrationOf = async (key: string) => JSON.parse((await etcd.client.get(key).string()) ?? "null") as { metadata: Record<string, string> } | null;

  test("Kratos: a drain is weight 0 in the registration, which Kratos's balancers never pick; undrained, it is back", async () => {
    const service = `drained-${tag}`;
    const prefix = `/${tag}/kratos-drain/`;
    const registration = { id: `${service}-1`, name: service, version: "v1", metadata: { weight: "10" }, endpoints: ["http://127.0.0.1:19071"] };
    const key = `${prefix}${service}/${registration.id}`;
    await etcd.client.put(key).value(JSON.stringify(registration));
    await addSource("kratos", prefix);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    expect((await change({ selector: { service }, change: { enabled: false }, force: true, reason: "drain" })).status).toBe(200);
    expect((await registrationOf(key))?.metadata).toEqual({ weight: "0", "meshdeck.registered-weight": "10" });
    const [drained] = await eventually(
      () => instancesOf(service),
      (list) => list[0]?.metadata.weight === "0",
    );
    expect(drained).toMatchObject({ enabled: false });
    expect((await change({ selector: { service }, change: { enabled: true } })).status).toBe(200);
    expect((await registrationOf(key))?.metadata).toEqual({ weight: "10" });
  });

  test("Kratos: a registration put back in Kratos's own form after a lease loss gets Meshdeck's weight again", async () => {
    const service = `relet-${tag}`;
    const prefix = `/${tag}/kratos-relet/`;
    const registration = { id: `${service}-1`, name: service, version: "v1", metadata: { weight: "10" }, endpoints: ["http://127.0.0.1:19081"] };
    const key = `${prefix}${service}/${registration.id}`;
    const first = etcd.client.lease(60);
    await first.put(key).value(JSON.stringify(registration));
    await addSource("kratos", prefix);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    expect((await change({ selector: { service }, change: { weight: 70 }, force: true, reason: "more" })).status).toBe(200);
    expect((await registrationOf(key))?.metadata.weight).toBe("70");
    // The lease is lost; Kratos registers again with a new one, in its own form.
    await first.revoke();
    const second = etcd.client.lease(60);
    await second.put(key).value(JSON.stringify(registration));
    const restored = await eventually(
      () => registrationOf(key),
      (value) => value?.metadata.weight === "70",
      { timeoutMs: 10_000 },
    );
    expect(restored?.metadata).toEqual({ weight: "70", "meshdeck.registered-weight": "10" });
    expect((await etcd.client.get(key).exec()).kvs[0]!.lease).toBe(await second.grant());
    const [seen] = await eventually(
      () => instancesOf(service),
      (list) => list[0]?.metadata.weight === "70",
    );
    expect(seen).toMatchObject({ weight: 70 });
    await second.revoke();
  });

  test("two sources over the same keys are refused; an id another source has in the service is skipped and shown", async () => {
    const prefix = `/${tag}/overlap/`;
    await addSource("url", prefix);
    for (const inner of [`${prefix}inner/`, `/${tag}/`]) {
      const refused = await admin.post("/api/v1/sources", {
        name: `overlap-${tag}-${inner.length}`,
        kind: "etcd",
        convention: "url",
        endpoints: [`http://${etcd.endpoint}`],
        prefix: inner,
      });
      expect(refused.status, inner).toBe(422);
      expect(refused.body.error.field).toBe("prefix");
    }
    // Side by side, but both registries name instance 1 of the same service.
    const service = `twice-${tag}`;
    await etcd.client.put(`/${tag}/twice-a/${service}/1`).value("http://127.0.0.1:19091");
    await etcd.client.put(`/${tag}/twice-b/${service}/1`).value("http://127.0.0.1:19092");
    const holder = await addSource("url", `/${tag}/twice-a/`);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    const second = await addSource("url", `/${tag}/twice-b/`);
    const skipped = await eventually(
      () => admin.get(`/api/v1/sources/${second}`),
      (r) => r.body.source?.skipped?.count === 1,
    );
    expect(skipped.body.source.skipped.recent).toEqual([
      { key: `/${tag}/twice-b/${service}/1`, reason: `instance 1 of ${service} is already registered by source ${holder}` },
    ]);
    expect((await instancesOf(service)).map((instance) => [instance.id, instance.source])).toEqual([["1", holder]]);
    expect((await admin.get(`/api/v1/discovery/${service}`)).body.instances).toHaveLength(1);
    expect((await change({ selector: { service }, change: { weight: 50 }, force: true, reason: "once" })).status).toBe(200);
  });

  test("a 1 MB metadata value and 102 keys: left out past the catalog's limits, and the key shown as read in part", async () => {
    const service = `fat-${tag}`;
    const prefix = `/${tag}/fat/`;
    const metadata = { big: "x".repeat(1024 * 1024), ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"])) };
    const node = { id: `${service}-1`, address: "127.0.0.1:19095", metadata };
    await etcd.client.put(`${prefix}${service}/${node.id}`).value(JSON.stringify({ name: service, version: "v1", nodes: [node] }));
    const source = await addSource("go-micro", prefix);
    const [seen] = await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    expect(Object.keys(seen!.metadata).length).toBeLessThanOrEqual(64);
    expect(seen!.metadata.big).toBeUndefined();
    expect(JSON.stringify((await admin.get(`/api/v1/discovery/${service}`)).body).length).toBeLessThan(16_384);
    const shown = await eventually(
      () => admin.get(`/api/v1/sources/${source}`),
      (r) => r.body.source?.skipped?.count === 1,
    );
    expect(shown.body.source.skipped.recent[0].reason).toMatch(/metadata entries over the catalog's limits .* left out: big, /);
  });

  test("the seed's single /<service> keys by the pattern /*: nothing else is read or warned about, Meshdeck's own keys never", async () => {
    const service = `seedone-${tag}`;
    await etcd.client.put(`/${service}`).value(`http://127.0.0.1:${tag === "s" ? 19097 : 19098}`);
    await etcd.client.put(`/meshdeck/overrides/${service}/x`).value(JSON.stringify({ weight: 1 }));
    await etcd.client.put(`/${tag}/pattern/other/1`).value("not a url");
    const source = await addSource("url", "/*");
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    const row = (await admin.get(`/api/v1/sources/${source}`)).body.source;
    expect(row.skipped).toEqual({ count: 0, recent: [] });
    await etcd.client.delete().key(`/meshdeck/overrides/${service}/x`);
  });

  test("bad settings are refused with the field, and nothing is stored", async () => {
    const wrongKind = await admin.post("/api/v1/sources", { name: "bad-one", kind: "etcd", convention: "dubbo", endpoints: [etcd.endpoint] });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.error.field).toBe("convention");
    const noEndpoint = await admin.post("/api/v1/sources", { name: "bad-two", kind: "etcd", convention: "url", endpoints: ["not an endpoint"] });
    expect(noEndpoint.body.error).toMatchObject({ code: "validation_failed", field: "endpoints.0" });
    const builtin = await admin.post("/api/v1/sources", { name: "builtin", kind: "etcd", convention: "url", endpoints: [etcd.endpoint] });
    expect(builtin.body.error.field).toBe("name");
    const listed = await admin.get("/api/v1/sources");
    expect(listed.body.sources.map((s: { name: string }) => s.name)).not.toContain("bad-one");
    expect(JSON.stringify(listed.body)).not.toContain('password":');
    expect((await apiClient(target).get("/api/v1/sources")).status).toBe(401);
  });

  test("etcd going away: the source and its instances are stale with since-when, and heal without events for unchanged instances", async () => {
    const service = `inventory-${tag}`;
    const prefix = `/${tag}/outage/`;
    await etcd.client.put(`${prefix}${service}/a`).value("http://127.0.0.1:19041");
    const source = await addSource("url", prefix);
    await eventually(
      () => instancesOf(service),
      (list) => list.length === 1,
    );
    const eventsBefore = (await admin.get(`/api/v1/events?service=${service}`)).body.events.length;
    await etcd.stopServer();
    try {
      const stale = await eventually(
        () => admin.get(`/api/v1/sources/${source}`),
        (r) => r.body.source?.status === "stale",
        { timeoutMs: 15_000 },
      );
      expect(stale.body.source.staleSince).toEqual(expect.any(String));
      const [instance] = await instancesOf(service);
      expect(instance).toMatchObject({ id: "a", staleSince: stale.body.source.staleSince });
    } finally {
      await etcd.startServer();
    }
    await eventually(
      () => admin.get(`/api/v1/sources/${source}`),
      (r) => r.body.source?.status === "connected",
      { timeoutMs: 15_000 },
    );
    expect((await instancesOf(service))[0]?.staleSince).toBeNull();
    expect((await admin.get(`/api/v1/events?service=${service}`)).body.events.length).toBe(eventsBefore);
  }, 45_000);
});
