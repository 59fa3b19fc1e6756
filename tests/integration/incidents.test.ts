import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adminAndToken, unique, type apiClient } from "../support/client";
import { eventually } from "../support/eventually";
import { describeTargetsSideBySide } from "../support/side-by-side";

type TClient = ReturnType<typeof apiClient>;
type TPosted = { event: { kind: string; service: string; instanceId: string | null } };

/** An instance's /health: 200, or 503 while failing; a real port the collector checks every 300 ms. */
async function checkedInstance() {
  let failing = false;
  const server = createServer((_request, response) => response.writeHead(failing ? 503 : 200).end(failing ? "down" : "ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fail: (on: boolean) => void (failing = on),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook receiver: every body posted to it, as the app sends them. */
async function receiver() {
  const received: TPosted[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(JSON.parse(body) as TPosted);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    of: (service: string) => received.filter((body) => body.event.service === service).map((body) => body.event),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeTargetsSideBySide("incidents, maintenance, silences and retiring on $name", (target) => {
  let admin: TClient;
  let api: TClient;
  const instances: Awaited<ReturnType<typeof checkedInstance>>[] = [];
  let failures: Awaited<ReturnType<typeof receiver>>;
  let maintenance: Awaited<ReturnType<typeof receiver>>;
  const webhookIds: string[] = [];

  const instance = async () => {
    const made = await checkedInstance();
    instances.push(made);
    return made;
  };
  const register = async (service: string, id: string, port: number) => {
    const check = { kind: "http", path: "/health", interval: "300ms", timeout: "200ms" };
    const response = await api.post("/api/v1/registry/instances", { service, id, host: "127.0.0.1", port, check, metrics: null });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  const healthOf = async (service: string) =>
    Object.fromEntries(
      ((await admin.get(`/api/v1/services/${service}`)).body.instances as { id: string; health: string }[]).map((row) => [row.id, row.health]),
    );
  const allPassing = (service: string, count: number) =>
    eventually(
      () => healthOf(service),
      (health) => Object.values(health).length === count && Object.values(health).every((state) => state === "passing"),
      { timeoutMs: 15_000 },
    );
  const incidentsOf = async (service: string) =>
    (await admin.get(`/api/v1/incidents?service=${service}`)).body.incidents as {
      id: string;
      cause: string;
      instanceId: string | null;
      count: number;
      recurring: boolean;
      times: string[];
      endedAt: string | null;
      silenced: boolean;
      ending: string | null;
    }[];
  const eventsOf = async (service: string, kind: string) =>
    (await admin.get(`/api/v1/events?service=${service}&kind=${kind}`)).body.events as {
      kind: string;
      instanceId: string | null;
      leftCount: number;
      joinedCount: number;
    }[];

  beforeAll(async () => {
    ({ admin, api } = await adminAndToken(target, unique("incidents")));
    failures = await receiver();
    maintenance = await receiver();
    // One webhook with the default kinds (failures only), one that asks for maintenance alone.
    for (const body of [{ url: failures.url }, { url: maintenance.url, kinds: ["maintenance"] }]) {
      const created = await admin.post("/api/v1/webhooks", body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      webhookIds.push(created.body.id as string);
    }
  });

  afterAll(async () => {
    for (const id of webhookIds) await admin.delete(`/api/v1/webhooks/${id}`);
    await Promise.all([...instances.map((made) => made.close()), failures.close(), maintenance.close()]);
  });

  test("an instance that keeps failing and coming back is one recurring incident whose count grows", async () => {
    const service = unique("recurring");
    const steady = await instance();
    const flaky = await instance();
    await register(service, `${service}-1`, steady.port);
    await register(service, `${service}-2`, flaky.port);
    await allPassing(service, 2);

    // payments-2's pattern in the demo, faster: down for a while, back, down again. Two rounds: a third within a minute
    // would be flapping (more than 5 changes), which holds the instance out instead.
    for (const round of [1, 2]) {
      flaky.fail(true);
      const [open] = await eventually(
        () => incidentsOf(service),
        (list) => list.length === 1 && list[0]!.count === round && list[0]!.endedAt === null,
        { timeoutMs: 15_000 },
      );
      expect(open).toMatchObject({ cause: "failover", instanceId: `${service}-2`, recurring: round > 1 });
      flaky.fail(false);
      await eventually(
        () => incidentsOf(service),
        (list) => list.length === 1 && list[0]!.endedAt !== null,
        { timeoutMs: 15_000 },
      );
    }
    const [incident] = await incidentsOf(service);
    expect(incident).toMatchObject({ count: 2, recurring: true });
    expect(incident!.times).toHaveLength(2);
    expect((await eventsOf(service, "failover")).length).toBe(2);
    // The incident holds its events: the failovers, recoveries and health changes of its instance.
    const detail = await admin.get(`/api/v1/incidents/${incident!.id}`);
    expect(detail.status).toBe(200);
    const kinds = (detail.body.events as { kind: string }[]).map((event) => event.kind);
    expect(kinds.filter((kind) => kind === "failover")).toHaveLength(2);
    expect(kinds.filter((kind) => kind === "recovery")).toHaveLength(2);
    expect(kinds).toContain("health");
    // Every failure is still posted to the failure webhook, and nothing to the maintenance one.
    await eventually(
      async () => failures.of(service).filter((event) => event.kind === "failover").length,
      (count) => count === 2,
    );
    expect(maintenance.of(service)).toEqual([]);
    expect((await admin.get("/api/v1/incidents?cause=sideways")).status).toBe(422);
    expect((await admin.get("/api/v1/incidents/no-such-incident")).status).toBe(404);
  }, 120_000);

  test("a drain is a maintenance event and incident, posted as maintenance and never to the failure webhook", async () => {
    const service = unique("drained");
    for (const n of [1, 2]) await register(service, `${service}-${n}`, (await instance()).port);
    await allPassing(service, 2);

    const drain = await admin.post("/api/v1/governance/instances", {
      selector: { service, ids: [`${service}-1`] },
      change: { enabled: false },
      reason: "kernel upgrade",
    });
    expect(drain.status, JSON.stringify(drain.body)).toBe(200);
    expect(await eventsOf(service, "failover")).toEqual([]);
    expect(await eventsOf(service, "maintenance")).toMatchObject([{ kind: "maintenance", instanceId: `${service}-1`, leftCount: 1 }]);
    expect(await incidentsOf(service)).toMatchObject([{ cause: "maintenance", instanceId: `${service}-1`, endedAt: null }]);

    const back = await admin.post("/api/v1/governance/instances", { selector: { service, ids: [`${service}-1`] }, change: { enabled: true } });
    expect(back.status).toBe(200);
    expect((await incidentsOf(service))[0]!.endedAt).not.toBeNull();
    // The maintenance webhook gets both; once it has, the same delivery rounds have passed the failure webhook by.
    await eventually(
      async () => maintenance.of(service).length,
      (count) => count === 2,
    );
    expect(maintenance.of(service).map((event) => event.kind)).toEqual(["maintenance", "maintenance"]);
    expect(failures.of(service)).toEqual([]);
  }, 60_000);

  test("a silenced service shows its problems, marked, and sends nothing; the silence is audited", async () => {
    const service = unique("silenced");
    const control = unique("unsilenced");
    const quiet = await instance();
    const loud = await instance();
    await register(service, `${service}-1`, (await instance()).port);
    await register(service, `${service}-2`, quiet.port);
    await register(control, `${control}-1`, (await instance()).port);
    await register(control, `${control}-2`, loud.port);
    await Promise.all([allPassing(service, 2), allPassing(control, 2)]);

    const silences = `/api/v1/services/${service}/silences`;
    // Bad input and the wrong caller store nothing.
    expect((await admin.post(silences, { duration: "1s", reason: "too short" })).status).toBe(422);
    expect((await admin.post(silences, { duration: "1h", reason: "" })).status).toBe(422);
    expect((await admin.post(silences, { duration: "1h", reason: "x", instanceId: "nobody" })).status).toBe(404);
    expect((await api.post(silences, { duration: "1h", reason: "a token may not" })).status).toBe(403);
    expect((await admin.get(silences)).body.silences).toEqual([]);
    const created = await admin.post(silences, { duration: "1h", reason: "known flaky during the migration" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    quiet.fail(true);
    loud.fail(true);
    const [incident] = await eventually(
      () => incidentsOf(service),
      (list) => list.length === 1,
      { timeoutMs: 15_000 },
    );
    expect(incident).toMatchObject({ cause: "failover", silenced: true });
    expect((await eventsOf(service, "failover")).length).toBe(1);
    // The unsilenced service's failure, which happened with it, is delivered: the silenced one was passed over.
    await eventually(
      async () => failures.of(control).length,
      (count) => count >= 1,
      { timeoutMs: 15_000 },
    );
    expect(failures.of(service)).toEqual([]);
    quiet.fail(false);
    loud.fail(false);

    expect((await admin.delete(`/api/v1/silences/${created.body.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/silences/${created.body.id}`)).status).toBe(404);
    expect((await admin.get(silences)).body.silences).toEqual([]);
    const audit = (await admin.get(`/api/v1/audit?service=${service}`)).body.events as { action: string; reason: string | null }[];
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(["silence.create", "silence.lift"]));
  }, 60_000);

  test("an operator retires a service with no instance; its history stays", async () => {
    const service = unique("retired");
    await register(service, `${service}-1`, (await instance()).port);
    await allPassing(service, 1);
    const retire = (client: TClient, body: unknown) => client.post(`/api/v1/services/${service}/retire`, body);
    // Alive: refused, and nothing changes.
    expect((await retire(admin, { reason: "not yet" })).status).toBe(409);
    expect((await api.delete(`/api/v1/registry/instances/${service}-1`)).status).toBe(204);

    expect((await retire(api, { reason: "a token may not" })).status).toBe(403);
    expect((await retire(admin, { reason: "" })).status).toBe(422);
    expect((await retire(admin, { reason: "x", extra: 1 })).status).toBe(422);
    expect((await admin.get(`/api/v1/services/${service}`)).status).toBe(200);

    const retired = await retire(admin, { reason: "decommissioned" });
    expect(retired.status, JSON.stringify(retired.body)).toBe(200);
    expect(retired.body).toEqual({ service, staleInstances: 0 });
    expect((await admin.get(`/api/v1/services/${service}`)).status).toBe(404);
    expect((await retire(admin, { reason: "again" })).status).toBe(404);
    // Its history is kept under its name.
    expect(await eventsOf(service, "retired")).toHaveLength(1);
    // The outage its last instance leaving began ends as retired.
    expect(await incidentsOf(service)).toEqual(expect.arrayContaining([expect.objectContaining({ cause: "outage", ending: "retired" })]));
    expect((await eventsOf(service, "health")).length).toBeGreaterThan(0);
    const audit = (await admin.get(`/api/v1/audit?service=${service}&action=service.retire`)).body.events as { reason: string }[];
    expect(audit).toMatchObject([{ reason: "decommissioned" }]);
  }, 60_000);
});
