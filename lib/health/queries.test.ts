import { beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { parseEventFilters } from "./event-filters";
import { getEventHighlights, getServiceHealthHistory, listEvents } from "./queries";
import { timelineEventCap } from "./timeline";

const now = new Date("2030-01-10T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const hour = 3_600_000;

let next = 0;
async function addService(name: string, instanceIds: string[], registeredAt = minutesAgo(60 * 24 * 40)) {
  await db.service.create({
    data: {
      name,
      instances: { create: instanceIds.map((instanceId) => ({ instanceId, host: "127.0.0.1", port: 9000 + ++next, health: "passing", registeredAt })) },
    },
  });
}

function healthEvent(service: string, instanceId: string, to: string, at: Date, from = "passing") {
  return { service, source: "builtin", instanceId, from, to, reason: `to ${to}`, at };
}

function failoverEvent(service: string, kind: string, at: Date, extra: { instanceId?: string; takeover?: unknown; detectionMs?: number } = {}) {
  return {
    service,
    kind,
    at,
    reason: kind,
    instanceId: extra.instanceId ?? null,
    detectionMs: extra.detectionMs ?? null,
    takeover: JSON.stringify(extra.takeover ?? []),
  };
}

beforeAll(async () => {
  await migrateDatabase();
});

describe("getServiceHealthHistory", () => {
  beforeAll(async () => {
    await addService("timeline", ["t-1", "t-2", "t-3"]);
    await addService("timeline-new", ["n-1"], minutesAgo(30));
    await db.healthEvent.createMany({
      data: [
        healthEvent("timeline", "t-1", "passing", minutesAgo(120), "unknown"),
        healthEvent("timeline", "t-1", "critical", minutesAgo(45)),
        healthEvent("timeline", "t-1", "passing", minutesAgo(30), "critical"),
        healthEvent("timeline", "t-2", "critical", minutesAgo(90)),
        // t-3 has no event at all: it counts as registered with its current health
      ],
    });
  });

  test.each([
    [
      "t-1",
      [
        ["passing", 60],
        ["critical", 45],
        ["passing", 30],
      ],
      0.75,
    ],
    ["t-2", [["critical", 60]], 0],
    ["t-3", [["passing", 60]], 1],
  ] as const)("1 h of %s: state before the range from the last earlier event", async (id, starts, uptime) => {
    const history = await getServiceHealthHistory({ name: "timeline", range: { preset: "1h" }, now });
    const instance = history.instances.find((row) => row.id === id);
    expect(instance?.bands.map((band) => [band.state, (now.getTime() - band.from) / 60_000])).toEqual(starts);
    expect(instance?.bands.at(-1)?.to).toBe(now.getTime());
    expect(instance?.uptime).toBe(uptime);
  });

  test("an instance registered inside the range has no band before it and its uptime counts from then", async () => {
    await db.healthEvent.create({ data: healthEvent("timeline-new", "n-1", "passing", minutesAgo(30), "unknown") });
    const [instance] = (await getServiceHealthHistory({ name: "timeline-new", range: { preset: "1h" }, now })).instances;
    expect(instance?.bands.map((band) => band.state)).toEqual(["none", "passing"]);
    expect(instance?.uptime).toBe(1);
  });

  test("caps the changes it loads and says from when the timeline is exact", async () => {
    await addService("timeline-busy", ["b-1"]);
    const count = timelineEventCap + 20;
    await db.healthEvent.createMany({
      data: Array.from({ length: count }, (_, index) =>
        healthEvent("timeline-busy", "b-1", index % 2 ? "passing" : "critical", new Date(now.getTime() - (count - index) * 1000)),
      ),
    });
    const [instance] = (await getServiceHealthHistory({ name: "timeline-busy", range: { preset: "24h" }, now })).instances;
    expect(instance?.coveredFrom).toBe(new Date(now.getTime() - timelineEventCap * 1000).toISOString());
    expect(instance?.bands).toHaveLength(timelineEventCap);
  });

  test("an unknown service is a 404", async () => {
    await expect(getServiceHealthHistory({ name: "nowhere", range: { preset: "1h" }, now })).rejects.toMatchObject({ code: "not_found" });
  });

  test("30 d reaches events 29 days old and not 31", async () => {
    await addService("timeline-month", ["m-1"]);
    await db.healthEvent.createMany({
      data: [
        healthEvent("timeline-month", "m-1", "critical", minutesAgo(31 * 24 * 60)),
        healthEvent("timeline-month", "m-1", "passing", minutesAgo(29 * 24 * 60), "critical"),
      ],
    });
    const [instance] = (await getServiceHealthHistory({ name: "timeline-month", range: { preset: "30d" }, now })).instances;
    expect(instance?.bands.map((band) => [band.state, Math.round((now.getTime() - band.from) / hour)])).toEqual([
      ["critical", 720],
      ["passing", 696],
    ]);
  });
});

describe("listEvents", () => {
  beforeAll(async () => {
    await db.healthEvent.createMany({
      data: [
        healthEvent("shop", "shop-1", "critical", minutesAgo(10)),
        healthEvent("shop", "shop-1", "flapping", minutesAgo(8)),
        healthEvent("shop", "shop-2", "critical", minutesAgo(3 * 60)),
        healthEvent("other", "other-1", "critical", minutesAgo(5)),
      ],
    });
    await db.failoverEvent.createMany({
      data: [
        failoverEvent("shop", "failover", minutesAgo(10), {
          instanceId: "shop-1",
          detectionMs: 2100,
          takeover: [
            { id: "shop-2", weight: 100, share: 0.5 },
            { id: "shop-3", weight: 100, share: 0.5 },
          ],
        }),
        failoverEvent("shop", "recovery", minutesAgo(2), { instanceId: "shop-1" }),
      ],
    });
  });

  const list = (query: string) => listEvents({ filters: parseEventFilters(new URLSearchParams(query)), now });

  test.each([
    ["service=shop", ["recovery", "flapping", "failover", "health", "health"]],
    ["service=shop&kind=failover", ["failover"]],
    ["service=shop&kind=failover,recovery", ["recovery", "failover"]],
    ["service=shop&kind=flapping", ["flapping"]],
    ["service=shop&kind=health", ["health", "health"]],
    ["service=shop&range=1h", ["recovery", "flapping", "failover", "health"]],
  ])("%s", async (query, kinds) => {
    const { events } = await list(query);
    expect(events.map((event) => event.kind)).toEqual(kinds);
  });

  test("a failover event carries its detection time and who took over with their shares", async () => {
    const { events } = await list("service=shop&kind=failover");
    expect(events[0]).toMatchObject({
      instanceId: "shop-1",
      detectionMs: 2100,
      takeover: [
        { id: "shop-2", share: 0.5 },
        { id: "shop-3", share: 0.5 },
      ],
    });
  });

  test("pages with a cursor through both tables without losing or repeating an event", async () => {
    const all = (await list("service=shop")).events.map((event) => event.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`service=shop&limit=2${cursor ? `&before=${cursor}` : ""}`);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  // What GET /api/v1/events answers with 422: the field, and why.
  function refusal(query: string) {
    try {
      parseEventFilters(new URLSearchParams(query));
    } catch (error) {
      if (error instanceof z.ZodError) return { field: error.issues[0]?.path.join("."), message: error.issues[0]?.message };
    }
    return null;
  }

  test.each([
    ["kind=sideways", "kind", /'sideways' is not a kind; use failover, recovery/],
    ["kind=health,sideways", "kind", /'sideways' is not a kind/],
    ["range=2h", "range", /must be one of 15m, 1h, 6h, 24h, 7d, 30d/],
    ["limit=0", "limit", /must be 1-200/],
    ["limit=many", "limit", /must be a number/],
    ["before=garbage!", "before", /must be a cursor/],
    ["service=bad name", "service", /may hold only letters/],
    ["colour=red", "", /colour/],
  ])("refuses %s, naming the field", (query, field, message) => {
    expect(refusal(query)).toEqual({ field, message: expect.stringMatching(message) });
  });

  test("refuses a parameter given twice", () => {
    expect(() => parseEventFilters(new URLSearchParams("kind=health&kind=failover"))).toThrow(/kind: must be given once/);
  });
});

describe("getEventHighlights", () => {
  test.each([
    ["an outage with no end is open", ["outage"], true],
    ["an outage that ended is closed", ["outage", "outage-end"], false],
    ["a later outage opens it again", ["outage", "outage-end", "outage"], true],
    ["an end with no outage is not an outage", ["outage-end"], false],
  ])("%s", async (_, kinds, open) => {
    const service = `outage-${++next}`;
    await db.failoverEvent.createMany({ data: kinds.map((kind, index) => failoverEvent(service, kind, minutesAgo(60 - index))) });
    const { openOutages } = await getEventHighlights();
    expect(openOutages.some((outage) => outage.service === service)).toBe(open);
  });

  test("names the oldest ten open outages and counts them all: a fleet-wide failure stays one short list", async () => {
    const services = Array.from({ length: 12 }, () => `outage-${++next}`);
    await db.failoverEvent.createMany({ data: services.map((service, index) => failoverEvent(service, "outage", minutesAgo(600 - index))) });
    const { openOutages, openOutageCount } = await getEventHighlights();
    expect(openOutages).toHaveLength(10);
    expect(openOutages.map((outage) => outage.service)).toEqual(services.slice(0, 10));
    expect(openOutageCount).toBeGreaterThanOrEqual(12);
  });

  test("lists the latest failovers, newest first", async () => {
    await db.failoverEvent.create({ data: failoverEvent("late", "failover", new Date(now.getTime() + 1000), { instanceId: "late-1" }) });
    const { latestFailovers } = await getEventHighlights({ failovers: 2 });
    expect(latestFailovers.map((event) => event.instanceId)).toEqual(["late-1", "shop-1"]);
  });
});
