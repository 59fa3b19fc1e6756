import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { parseAuditFilters, parseAuditQuery } from "./audit-filters";
import { exportAuditCsv } from "./export-csv";
import { actorOptionsLimit, listAuditEvents, listAuditFacets } from "./queries";

const now = new Date("2030-01-10T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

let adminId = "";

beforeAll(async () => {
  await migrateDatabase();
  const admin = await db.user.create({ data: { email: "ada@example.com", name: "Ada", role: "admin", passwordHash: "x" } });
  adminId = admin.id;
  const user = { actorType: "user", actorId: admin.id, actorName: "Ada" };
  const token = { actorType: "token", actorId: "tok1", actorName: "deployer" };
  const system = { actorType: "system", actorId: null, actorName: "meshdeck" };
  await db.auditEvent.createMany({
    data: [
      { ...system, action: "api-token.create", target: "api-token/a", after: '{"name":"gateway"}', at: minutesAgo(120) },
      { ...user, action: "user.create", target: "user/b", after: '{"email":"b@example.com"}', at: minutesAgo(90) },
      {
        ...user,
        action: "instance.weight",
        service: "orders",
        target: "instance/orders-1",
        before: '{"weight":100}',
        after: '{"weight":0}',
        reason: "canary",
        at: minutesAgo(60),
      },
      {
        ...token,
        action: "instance.enabled",
        service: "orders",
        target: "instance/orders-2",
        before: '{"enabled":true}',
        after: '{"enabled":false}',
        at: minutesAgo(30),
      },
      { ...user, action: "service.policy", service: "payments", target: "service/payments", before: '"round-robin"', after: '"p2c"', at: minutesAgo(10) },
      { ...user, action: "settings.metrics", target: "setting/metrics", before: "not json", at: minutesAgo(5) },
    ],
  });
});

const actions = async (query: string) => (await listAuditEvents(parseAuditQuery(new URLSearchParams(query)))).events.map((event) => event.action);

describe("listAuditEvents", () => {
  test.each([
    ["", ["settings.metrics", "service.policy", "instance.enabled", "instance.weight", "user.create", "api-token.create"]],
    ["service=orders", ["instance.enabled", "instance.weight"]],
    ["action=instance.", ["instance.enabled", "instance.weight"]],
    ["action=instance.*&user=deployer", ["instance.enabled"]],
    ["action=instance.weight", ["instance.weight"]],
    ["action=instance", []], // exact unless it ends in '.'
    ["user=Ada&action=instance.", ["instance.weight"]],
    ["user=tok1", ["instance.enabled"]],
    ["user=meshdeck", ["api-token.create"]],
    [`from=${minutesAgo(60).toISOString()}&to=${minutesAgo(10).toISOString()}`, ["service.policy", "instance.enabled", "instance.weight"]],
    [`to=${minutesAgo(100).toISOString()}`, ["api-token.create"]],
  ])("%j", async (query, expected) => {
    expect(await actions(query)).toEqual(expected);
  });

  test("user events carry the role their user has now; before and after are parsed", async () => {
    const { events } = await listAuditEvents(parseAuditQuery(new URLSearchParams("action=instance.")));
    expect(events[1]).toMatchObject({
      actor: { type: "user", id: adminId, name: "Ada", role: "admin" },
      service: "orders",
      before: { weight: 100 },
      after: { weight: 0 },
      reason: "canary",
    });
    expect(events[0]?.actor).toEqual({ type: "token", id: "tok1", name: "deployer", role: null });
    const [settings] = (await listAuditEvents(parseAuditQuery(new URLSearchParams("action=settings.metrics")))).events;
    expect(settings).toMatchObject({ before: "not json", after: null });
  });

  test("pages by cursor: each event once, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Awaited<ReturnType<typeof listAuditEvents>> = await listAuditEvents(
        parseAuditQuery(new URLSearchParams(`limit=4${cursor ? `&cursor=${cursor}` : ""}`)),
      );
      seen.push(...page.events.map((event) => event.action));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(await actions(""));
  });
});

test("listAuditFacets: the actions and actors in the log, never a list of services", async () => {
  const facets = await listAuditFacets();
  expect(Object.keys(facets).sort()).toEqual(["actions", "actors"]);
  expect(facets.actions).toEqual(["api-token.create", "instance.enabled", "instance.weight", "service.policy", "settings.metrics", "user.create"]);
  expect(facets.actors).toEqual([
    { value: adminId, name: "Ada", type: "user" },
    { value: "tok1", name: "deployer", type: "token" },
    { value: "meshdeck", name: "meshdeck", type: "system" },
  ]);
});

test("listAuditFacets: a fleet's worth of tokens offers only the most recently active ones", async () => {
  const tokens = actorOptionsLimit + 20;
  await db.auditEvent.createMany({
    data: Array.from({ length: tokens }, (_, i) => ({
      actorType: "token",
      actorId: `fleet-${String(i).padStart(3, "0")}`,
      actorName: `fleet-${String(i).padStart(3, "0")}`,
      action: "instance.register",
      target: `instance/fleet-${i}`,
      at: minutesAgo(tokens - i),
    })),
  });
  const { actors } = await listAuditFacets();
  expect(actors).toHaveLength(actorOptionsLimit);
  const values = actors.map((actor) => actor.value);
  expect(values).toContain(`fleet-${tokens - 1}`);
  expect(values).not.toContain("fleet-000");
  const names = actors.map((actor) => actor.name);
  expect(names).toEqual(names.toSorted((a, b) => a.localeCompare(b)));
  await db.auditEvent.deleteMany({ where: { actorId: { startsWith: "fleet-" } } });
});

async function readAll(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("exportAuditCsv", () => {
  test("the header, then the matching events newest first", async () => {
    const { stream, total, truncated } = await exportAuditCsv({ filters: parseAuditFilters(new URLSearchParams("service=orders")), now });
    expect({ total, truncated }).toEqual({ total: 2, truncated: false });
    const lines = (await readAll(stream)).split("\r\n");
    expect(lines).toEqual([
      "at,actor_type,actor,action,service,target,reason,before,after",
      `${minutesAgo(30).toISOString()},token,deployer,instance.enabled,orders,instance/orders-2,,"{""enabled"":true}","{""enabled"":false}"`,
      `${minutesAgo(60).toISOString()},user,Ada,instance.weight,orders,instance/orders-1,canary,"{""weight"":100}","{""weight"":0}"`,
      "",
    ]);
  });

  test("past the cap it stops and says so in its last record", async () => {
    const { stream, total, rows, truncated } = await exportAuditCsv({ filters: {}, cap: 4, now });
    expect({ total, rows, truncated }).toEqual({ total: 6, rows: 4, truncated: true });
    const lines = (await readAll(stream)).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines.at(-1)).toBe("# truncated: the newest 4 of 6 matching events; narrow the time range for the rest,,,,,,,,");
  });

  test("an empty export is the header alone", async () => {
    const { stream } = await exportAuditCsv({ filters: parseAuditFilters(new URLSearchParams("service=nothing")), now });
    expect(await readAll(stream)).toBe("at,actor_type,actor,action,service,target,reason,before,after\r\n");
  });

  test("reads in batches: every row arrives once, ties in time across a batch's end too", async () => {
    const at = minutesAgo(24 * 60);
    await db.auditEvent.createMany({
      data: Array.from({ length: 95 }, (_, index) => ({
        actorType: "system",
        actorName: "bulk",
        action: "bulk.test",
        target: `bulk/${index}`,
        at: new Date(at.getTime() - (index % 3) * 1000),
      })),
    });
    const { stream, total } = await exportAuditCsv({ filters: parseAuditFilters(new URLSearchParams("action=bulk.")), batchSize: 10, now });
    const records = (await readAll(stream)).trimEnd().split("\r\n").slice(1);
    expect(total).toBe(95);
    expect(records).toHaveLength(95);
    expect(new Set(records.map((line) => line.split(",")[5])).size).toBe(95);
  });
});
