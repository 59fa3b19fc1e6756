import { describe, expect, test } from "vitest";
import { groupEvents, incidentKeyOf, isRecurring, type TGroupedEvent, type TGroupedKind } from "./group-events";

const s = 1000;
const min = 60 * s;

// [kind, instance or null, at]: a service's events, as the traffic story writes them.
type TRow = [TGroupedKind, string | null, number, number?];
const events = (rows: TRow[], service = "payments"): TGroupedEvent[] =>
  rows.map(([kind, instanceId, at, leftCount]) => ({
    kind,
    service,
    instanceId,
    at,
    reason: `${kind} at ${at}`,
    leftCount: leftCount ?? (kind === "maintenance" ? 1 : 0),
  }));

// What a test reads of an incident: its key, count, start, end and the start of each recurrence.
const summary = (rows: TRow[], windowMs?: number) =>
  groupEvents(events(rows), windowMs).map(({ key, count, startedAt, endedAt, ending, times }) => ({ key, count, startedAt, endedAt, ending, times }));

// payments-2 in the demo: fails for 20 s every 90 s, first 40 s in.
const demoPattern = (cycles: number): TRow[] =>
  Array.from({ length: cycles }, (_, i): TRow[] => [
    ["failover", "payments-2", 40 * s + i * 90 * s],
    ["recovery", "payments-2", 60 * s + i * 90 * s],
  ]).flat();

describe("grouping traffic events into incidents", () => {
  test.each<[string, TRow[], ReturnType<typeof summary>]>([
    [
      "one failure and its recovery: one incident, ended",
      [
        ["failover", "payments-2", 0],
        ["recovery", "payments-2", 20 * s],
      ],
      [{ key: "failover/payments/payments-2", count: 1, startedAt: 0, endedAt: 20 * s, ending: "resolved", times: [0] }],
    ],
    [
      "a failure still going on: open",
      [["failover", "payments-2", 0]],
      [{ key: "failover/payments/payments-2", count: 1, startedAt: 0, endedAt: null, ending: null, times: [0] }],
    ],
    [
      "failing again within the window: one recurring incident, reopened",
      [
        ["failover", "payments-2", 0],
        ["recovery", "payments-2", 20 * s],
        ["failover", "payments-2", 90 * s],
      ],
      [{ key: "failover/payments/payments-2", count: 2, startedAt: 0, endedAt: null, ending: null, times: [0, 90 * s] }],
    ],
    [
      "failing again after the window: a new incident",
      [
        ["failover", "payments-2", 0],
        ["recovery", "payments-2", 20 * s],
        ["failover", "payments-2", 20 * s + 31 * min],
      ],
      [
        { key: "failover/payments/payments-2", count: 1, startedAt: 0, endedAt: 20 * s, ending: "resolved", times: [0] },
        { key: "failover/payments/payments-2", count: 1, startedAt: 20 * s + 31 * min, endedAt: null, ending: null, times: [20 * s + 31 * min] },
      ],
    ],
    [
      "two instances failing together: an incident each",
      [
        ["failover", "payments-1", 0],
        ["failover", "payments-2", 1 * s],
        ["recovery", "payments-1", 5 * s],
      ],
      [
        { key: "failover/payments/payments-1", count: 1, startedAt: 0, endedAt: 5 * s, ending: "resolved", times: [0] },
        { key: "failover/payments/payments-2", count: 1, startedAt: 1 * s, endedAt: null, ending: null, times: [1 * s] },
      ],
    ],
    [
      "an outage apart from the failover that caused it (another cause), ended by its end",
      [
        ["failover", "payments-1", 0],
        ["outage", null, 0],
        ["outage-end", null, 30 * s],
        ["recovery", "payments-1", 30 * s],
      ],
      [
        { key: "failover/payments/payments-1", count: 1, startedAt: 0, endedAt: 30 * s, ending: "resolved", times: [0] },
        { key: "outage/payments", count: 1, startedAt: 0, endedAt: 30 * s, ending: "resolved", times: [0] },
      ],
    ],
    [
      "an outage that ends with the service retired",
      [
        ["outage", null, 0],
        ["retired", null, 24 * 60 * min],
      ],
      [{ key: "outage/payments", count: 1, startedAt: 0, endedAt: 24 * 60 * min, ending: "retired", times: [0] }],
    ],
    [
      "a drain and its end: maintenance, apart from failures of the same instance",
      [
        ["maintenance", "payments-2", 0, 1],
        ["failover", "payments-2", 10 * s],
        ["maintenance", "payments-2", 60 * s, 0],
      ],
      [
        { key: "maintenance/payments/payments-2", count: 1, startedAt: 0, endedAt: 60 * s, ending: "resolved", times: [0] },
        { key: "failover/payments/payments-2", count: 1, startedAt: 10 * s, endedAt: null, ending: null, times: [10 * s] },
      ],
    ],
    ["a recovery with no incident open: nothing", [["recovery", "payments-2", 0]], []],
    [
      "an instance flapping, settling and flapping again within the window: one recurring flapping incident",
      [
        ["flapping", "payments-2", 0],
        ["settled", "payments-2", 5 * min],
        ["flapping", "payments-2", 12 * min],
        ["settled", "payments-2", 15 * min],
      ],
      [{ key: "flapping/payments/payments-2", count: 2, startedAt: 0, endedAt: 15 * min, ending: "resolved", times: [0, 12 * min] }],
    ],
    [
      "flapping apart from the failovers of the same instance",
      [
        ["flapping", "payments-2", 0],
        ["failover", "payments-2", 10 * s],
        ["recovery", "payments-2", 30 * s],
      ],
      [
        { key: "flapping/payments/payments-2", count: 1, startedAt: 0, endedAt: null, ending: null, times: [0] },
        { key: "failover/payments/payments-2", count: 1, startedAt: 10 * s, endedAt: 30 * s, ending: "resolved", times: [10 * s] },
      ],
    ],
    [
      "a mass failover and its recovery: one incident of the service",
      [
        ["failover", null, 0],
        ["recovery", null, 40 * s],
      ],
      [{ key: "failover/payments", count: 1, startedAt: 0, endedAt: 40 * s, ending: "resolved", times: [0] }],
    ],
  ])("%s", (_name, rows, incidents) => {
    expect(summary(rows)).toEqual(incidents);
  });

  test("the demo's payments-2 pattern over 33 minutes is one recurring incident with a failure every 90 s", () => {
    const rows = demoPattern(22);
    const [incident, ...others] = groupEvents(events(rows));
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ key: "failover/payments/payments-2", count: 22, startedAt: 40 * s, endedAt: 60 * s + 21 * 90 * s });
    expect(isRecurring(incident!)).toBe(true);
    expect(incident!.times).toEqual(rows.filter(([kind]) => kind === "failover").map(([, , at]) => at));
  });

  test("an incident keeps the newest 50 start times and counts them all", () => {
    const [incident] = groupEvents(events(demoPattern(60)));
    expect(incident!.count).toBe(60);
    expect(incident!.times).toHaveLength(50);
    expect(incident!.times.at(-1)).toBe(40 * s + 59 * 90 * s);
  });

  test.each([
    [5 * min, 1],
    [30 * s, 2],
  ])("a failure 60 s after the recovery, with a window of %i ms: %i incidents", (windowMs, incidents) => {
    const rows: TRow[] = [
      ["failover", "payments-2", 0],
      ["recovery", "payments-2", 10 * s],
      ["failover", "payments-2", 70 * s],
    ];
    expect(groupEvents(events(rows), windowMs)).toHaveLength(incidents);
  });

  test.each<[TGroupedKind, string | null, number, string, boolean]>([
    ["failover", "a-1", 0, "failover/svc/a-1", true],
    ["recovery", "a-1", 0, "failover/svc/a-1", false],
    ["outage", null, 0, "outage/svc", true],
    ["outage-end", null, 0, "outage/svc", false],
    ["retired", null, 0, "outage/svc", false],
    ["maintenance", "a-1", 1, "maintenance/svc/a-1", true],
    ["maintenance", "a-1", 0, "maintenance/svc/a-1", false],
    ["flapping", "a-1", 0, "flapping/svc/a-1", true],
    ["settled", "a-1", 0, "flapping/svc/a-1", false],
  ])("%s of %s (left %i): key %s, opens %s", (kind, instanceId, leftCount, key, opens) => {
    expect(incidentKeyOf({ kind, service: "svc", instanceId, leftCount, at: 0, reason: "" })).toMatchObject({ key, opens });
  });
});
