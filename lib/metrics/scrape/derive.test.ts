import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { CounterIncreases } from "./counter-increases";
import { InstanceSignals } from "./derive";
import { MetricsParseError, parseExposition } from "./parse";
import { defaultMetricNames, type TMetricFamily, type TMetricType, type TSignals } from "../types";

type TLabels = Record<string, string>;

// Families built by hand, in the shape the parser returns, so these tests do not depend on it.
function family(name: string, type: TMetricType, samples: [string, TLabels, number][]): TMetricFamily {
  return { name, type, samples: samples.map(([sample, labels, value]) => ({ name: sample, labels, value })) };
}

const bounds = ["0.1", "0.5", "+Inf"] as const;

/** A histogram; each series gives its labels and cumulative counts at 0.1, 0.5 and +Inf (the last is _count). */
function histogram(base: string, series: [TLabels, number[]][]): TMetricFamily {
  return family(
    base,
    "histogram",
    series.flatMap(([labels, counts]) => [
      ...bounds.map((le, i): [string, TLabels, number] => [`${base}_bucket`, { ...labels, le }, counts[i] ?? 0]),
      [`${base}_sum`, labels, 0],
      [`${base}_count`, labels, counts[bounds.length - 1] ?? 0],
    ]),
  );
}

/** A summary; each series gives its labels, its p50/p95/p99 in seconds and its _count. */
function summary(base: string, series: [TLabels, [number, number, number], number][]): TMetricFamily {
  return family(
    base,
    "summary",
    series.flatMap(([labels, [p50, p95, p99], count]) => [
      [base, { ...labels, quantile: "0.5" }, p50],
      [base, { ...labels, quantile: "0.95" }, p95],
      [base, { ...labels, quantile: "0.99" }, p99],
      [`${base}_sum`, labels, 0],
      [`${base}_count`, labels, count],
    ]),
  );
}

function counter(name: string, series: [TLabels, number][]): TMetricFamily {
  return family(
    name,
    "counter",
    series.map(([labels, value]) => [name, labels, value]),
  );
}

const escaped = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** The families as a target would expose them in the text format, as bytes. */
function exposition(families: TMetricFamily[]): Buffer {
  const lines = families.flatMap(({ name, type, samples }) => [
    `# TYPE ${name} ${type}`,
    ...samples.map((s) => {
      const labels = Object.entries(s.labels).map(([label, value]) => `${label}="${escaped(value)}"`);
      return `${s.name}${labels.length ? `{${labels.join(",")}}` : ""} ${s.value}`;
    }),
  ]);
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/**
 * Feeds the scrapes 10 s apart and returns what every scrape after the first yields: read from families (as
 * Prometheus's samples are) and, the same, from the bytes of each scrape's exposition (as a target's are).
 */
function run(scrapes: TMetricFamily[][], names = defaultMetricNames) {
  const instance = new InstanceSignals(names);
  const fromBytes = new InstanceSignals(names);
  expect(instance.next(scrapes[0] ?? [], 0)).toBeNull();
  expect(fromBytes.scrape(exposition(scrapes[0] ?? []), { openMetrics: false, atMs: 0 })).toBeNull();
  return scrapes.slice(1).map((families, i) => {
    const atMs = (i + 1) * 10_000;
    const signals = instance.next(families, atMs)!;
    expect(fromBytes.scrape(exposition(families), { openMetrics: false, atMs })).toEqual(signals);
    expect(fromBytes.seriesCount).toBe(instance.seriesCount);
    return signals;
  });
}

function selfOf(scrapes: TMetricFamily[][]): TSignals[] {
  return run(scrapes).map((signals) => signals.self);
}

const h = "http_request_duration_seconds";
const ok = { method: "GET", route: "/orders", code: "200" };
const failed = { method: "GET", route: "/orders", code: "500" };

describe("InstanceSignals", () => {
  test.each([
    ["nothing", []],
    ["a histogram", [histogram(h, [[ok, [1, 2, 3]]])]],
    ["a counter", [counter("http_requests_total", [[ok, 5]])]],
  ] as const)("has no baseline on the first scrape of %s", (_name, families) => {
    expect(new InstanceSignals(defaultMetricNames).next([...families], 0)).toBeNull();
  });

  test.each([
    [
      "increases of a histogram summed over label sets, 5xx as errors",
      [
        [
          histogram(h, [
            [ok, [10, 20, 30]],
            [failed, [0, 1, 2]],
          ]),
        ],
        [
          histogram(h, [
            [ok, [15, 30, 40]],
            [failed, [1, 3, 5]],
          ]),
        ],
      ],
      [
        {
          requests: 13,
          errors: 3,
          buckets: [
            [0.1, 6],
            [0.5, 12],
            [Infinity, 13],
          ],
          summary: null,
        },
      ],
    ],
    [
      "a counter reset mid-way: the new value is the increase",
      [[histogram(h, [[ok, [10, 20, 30]]])], [histogram(h, [[ok, [20, 40, 50]]])], [histogram(h, [[ok, [1, 2, 4]]])], [histogram(h, [[ok, [2, 3, 6]]])]],
      [
        {
          requests: 20,
          errors: 0,
          buckets: [
            [0.1, 10],
            [0.5, 20],
            [Infinity, 20],
          ],
          summary: null,
        },
        {
          requests: 4,
          errors: 0,
          buckets: [
            [0.1, 1],
            [0.5, 2],
            [Infinity, 4],
          ],
          summary: null,
        },
        {
          requests: 2,
          errors: 0,
          buckets: [
            [0.1, 1],
            [0.5, 1],
            [Infinity, 2],
          ],
          summary: null,
        },
      ],
    ],
    [
      "a series first seen after the baseline counts in full",
      [
        [histogram(h, [[ok, [1, 2, 3]]])],
        [
          histogram(h, [
            [ok, [1, 2, 3]],
            [failed, [0, 2, 4]],
          ]),
        ],
      ],
      [
        {
          requests: 4,
          errors: 4,
          buckets: [
            [0.1, 0],
            [0.5, 2],
            [Infinity, 4],
          ],
          summary: null,
        },
      ],
    ],
    [
      "a series that disappears is forgotten, so its return counts in full",
      [
        [
          histogram(h, [
            [ok, [1, 2, 3]],
            [failed, [0, 0, 9]],
          ]),
        ],
        [histogram(h, [[ok, [1, 2, 3]]])],
        [
          histogram(h, [
            [ok, [1, 2, 3]],
            [failed, [0, 0, 9]],
          ]),
        ],
      ],
      [
        {
          requests: 0,
          errors: 0,
          buckets: [
            [0.1, 0],
            [0.5, 0],
            [Infinity, 0],
          ],
          summary: null,
        },
        {
          requests: 9,
          errors: 9,
          buckets: [
            [0.1, 0],
            [0.5, 0],
            [Infinity, 9],
          ],
          summary: null,
        },
      ],
    ],
    [
      "a NaN adds nothing and the last good value stays the baseline",
      [[counter("http_requests_total", [[ok, 10]])], [counter("http_requests_total", [[ok, Number.NaN]])], [counter("http_requests_total", [[ok, 15]])]],
      [
        { requests: 0, errors: 0, buckets: null, summary: null },
        { requests: 5, errors: 0, buckets: null, summary: null },
      ],
    ],
    [
      "no server metric at all: empty signals",
      [[counter("process_cpu_seconds_total", [[{}, 1]])], [counter("process_cpu_seconds_total", [[{}, 2]])]],
      [{ requests: 0, errors: 0, buckets: null, summary: null }],
    ],
  ] as const)("%s", (_name, scrapes, expected) => {
    expect(selfOf(scrapes.map((families) => [...families]))).toEqual(expected);
  });

  test.each([
    ["code", "500", true],
    ["code", "503", true],
    ["code", "404", false],
    ["code", "200", false],
    ["status", "502", true],
    ["status", "429", false],
    ["status_code", "504", true],
    ["http_response_status_code", "500", true],
    ["outcome", "500", false],
    ["code", "0", true],
  ] as const)("a %s label of %s is an error: %s", (label, status, isError) => {
    const labels = { uri: "/x", [label]: status };
    const [signals] = selfOf([[histogram(h, [[labels, [0, 0, 0]]])], [histogram(h, [[labels, [1, 2, 2]]])]]);
    expect(signals).toMatchObject({ requests: 2, errors: isError ? 2 : 0 });
  });

  test("the first status label present on a series decides", () => {
    const labels = { code: "200", status: "500" };
    const [signals] = selfOf([[counter("http_requests_total", [[labels, 0]])], [counter("http_requests_total", [[labels, 3]])]]);
    expect(signals).toMatchObject({ requests: 3, errors: 0 });
  });

  const spring = "http_server_requests_seconds";
  const springOk = { exception: "None", method: "GET", outcome: "SUCCESS", status: "200", uri: "/a" };
  const springSlow = { exception: "None", method: "GET", outcome: "SUCCESS", status: "200", uri: "/b" };
  const springFailed = { exception: "IllegalState", method: "GET", outcome: "SERVER_ERROR", status: "500", uri: "/a" };

  test.each([
    [
      "Spring's histogram variant",
      [
        [
          histogram(spring, [
            [springOk, [5, 8, 10]],
            [springFailed, [0, 1, 1]],
          ]),
        ],
        [
          histogram(spring, [
            [springOk, [8, 14, 17]],
            [springFailed, [0, 2, 3]],
          ]),
        ],
      ],
      {
        requests: 9,
        errors: 2,
        buckets: [
          [0.1, 3],
          [0.5, 7],
          [Infinity, 9],
        ],
        summary: null,
      },
    ],
    [
      "Spring's summary variant: request-weighted quantiles in ms",
      [
        [
          summary(spring, [
            [springOk, [0.01, 0.02, 0.03], 100],
            [springSlow, [0.1, 0.2, 0.3], 50],
            [springFailed, [1, 2, 3], 7],
          ]),
        ],
        [
          summary(spring, [
            [springOk, [0.01, 0.02, 0.04], 130],
            [springSlow, [0.2, 0.4, 0.6], 60],
            [springFailed, [1, 2, 3], 7],
          ]),
        ],
      ],
      // /a weighs 30, /b weighs 10; the failed series saw no request and its stale quantiles are ignored.
      { requests: 40, errors: 0, buckets: null, summary: { p50: (10 * 30 + 200 * 10) / 40, p95: (20 * 30 + 400 * 10) / 40, p99: (40 * 30 + 600 * 10) / 40 } },
    ],
    [
      "Spring's default timer (only _count and _sum): counts without latency",
      [
        [
          family(spring, "summary", [
            [`${spring}_count`, springOk, 4],
            [`${spring}_sum`, springOk, 1],
            [`${spring}_count`, springFailed, 1],
            [`${spring}_sum`, springFailed, 1],
          ]),
        ],
        [
          family(spring, "summary", [
            [`${spring}_count`, springOk, 9],
            [`${spring}_sum`, springOk, 2],
            [`${spring}_count`, springFailed, 3],
            [`${spring}_sum`, springFailed, 2],
          ]),
        ],
      ],
      { requests: 7, errors: 2, buckets: null, summary: null },
    ],
    [
      "a summary whose window saw nothing (NaN quantiles): no quantile",
      [[summary(spring, [[springOk, [Number.NaN, Number.NaN, Number.NaN], 1]])], [summary(spring, [[springOk, [Number.NaN, Number.NaN, Number.NaN], 2]])]],
      { requests: 1, errors: 0, buckets: null, summary: { p50: null, p95: null, p99: null } },
    ],
    [
      "fallback to http_requests_total when no duration metric is exposed",
      [
        [
          counter("http_requests_total", [
            [ok, 100],
            [failed, 4],
          ]),
        ],
        [
          counter("http_requests_total", [
            [ok, 130],
            [failed, 9],
          ]),
        ],
      ],
      { requests: 35, errors: 5, buckets: null, summary: null },
    ],
    [
      "a duration metric wins over the request counter",
      [
        [counter("http_requests_total", [[ok, 100]]), histogram(h, [[ok, [1, 1, 1]]])],
        [counter("http_requests_total", [[ok, 999]]), histogram(h, [[ok, [2, 2, 2]]])],
      ],
      {
        requests: 1,
        errors: 0,
        buckets: [
          [0.1, 1],
          [0.5, 1],
          [Infinity, 1],
        ],
        summary: null,
      },
    ],
    [
      "the first configured duration metric present wins",
      [
        [histogram(spring, [[springOk, [0, 0, 0]]]), histogram(h, [[ok, [0, 0, 0]]])],
        [histogram(spring, [[springOk, [5, 5, 5]]]), histogram(h, [[ok, [1, 1, 1]]])],
      ],
      {
        requests: 1,
        errors: 0,
        buckets: [
          [0.1, 1],
          [0.5, 1],
          [Infinity, 1],
        ],
        summary: null,
      },
    ],
  ] as const)("%s", (_name, scrapes, expected) => {
    expect(selfOf(scrapes.map((families) => [...families]))).toEqual([expected]);
  });

  test("OpenMetrics counters named without _total are read by their _total samples", () => {
    const names = { ...defaultMetricNames, serverRequests: ["http_requests"] };
    const scrape = (value: number) => [family("http_requests", "counter", [["http_requests_total", ok, value]])];
    expect(run([scrape(1), scrape(4)], names)[0]?.self).toMatchObject({ requests: 3 });
  });

  const client = "http_client_request_duration_seconds";
  test("client metrics give edges keyed by peer_service; series without it are ignored", () => {
    const scrape = (orders: number[], payments: number[], anonymous: number[]) => [
      histogram(client, [
        [{ peer_service: "orders", code: "200" }, orders],
        [{ peer_service: "payments", code: "503" }, payments],
        [{ code: "200" }, anonymous],
        [{ peer_service: "", code: "200" }, anonymous],
      ]),
      counter("http_client_requests_total", [
        [{ peer_service: "orders", code: "200" }, 5],
        [{ peer_service: "audit", code: "500" }, 5],
      ]),
    ];
    const [signals] = run([scrape([0, 0, 0], [0, 0, 0], [0, 0, 0]), scrape([2, 3, 4], [0, 0, 1], [9, 9, 9])]);
    expect(signals?.self.requests).toBe(0);
    expect(Object.fromEntries(signals?.edges ?? [])).toEqual({
      orders: {
        requests: 4,
        errors: 0,
        buckets: [
          [0.1, 2],
          [0.5, 3],
          [Infinity, 4],
        ],
        summary: null,
      },
      payments: {
        requests: 1,
        errors: 1,
        buckets: [
          [0.1, 0],
          [0.5, 0],
          [Infinity, 1],
        ],
        summary: null,
      },
      // A callee only the counter knows comes from the counter.
      audit: { requests: 0, errors: 0, buckets: null, summary: null },
    });
  });

  test("the callee label is configurable", () => {
    const names = { ...defaultMetricNames, calleeLabel: "target" };
    const scrape = (value: number) => [
      counter("http_client_requests_total", [
        [{ target: "orders", code: "200" }, value],
        [{ peer_service: "x" }, value],
      ]),
    ];
    expect(Object.fromEntries(run([scrape(1), scrape(3)], names)[0]?.edges ?? [])).toEqual({
      orders: { requests: 2, errors: 0, buckets: null, summary: null },
    });
  });

  const istioLabels = (reporter: string, destination: Partial<TLabels>, code: string): TLabels => ({
    reporter,
    source_workload: "frontend-v1",
    source_canonical_service: "frontend",
    destination_service: "orders.default.svc.cluster.local",
    destination_service_name: "orders",
    destination_canonical_service: "orders",
    ...destination,
    request_protocol: "http",
    response_code: code,
    response_flags: "-",
  });

  /** Istio's histogram in ms, with bounds 5, 25 and +Inf; `_count` is the last count. */
  function istio(series: [TLabels, number[]][]): TMetricFamily[] {
    const base = "istio_request_duration_milliseconds";
    return [
      family(
        base,
        "histogram",
        series.flatMap(([labels, counts]) => [
          ...["5", "25", "+Inf"].map((le, i): [string, TLabels, number] => [`${base}_bucket`, { ...labels, le }, counts[i] ?? 0]),
          [`${base}_count`, labels, counts[2] ?? 0],
        ]),
      ),
      counter(
        "istio_requests_total",
        series.map(([labels, counts]) => [labels, counts[2] ?? 0]),
      ),
    ];
  }

  test.each([
    [
      "source-reported series are edges keyed by the destination, bounds in seconds",
      [
        [istioLabels("source", {}, "200"), [1, 2, 3]],
        [istioLabels("source", {}, "503"), [0, 0, 1]],
        [istioLabels("source", { destination_canonical_service: "unknown", destination_service_name: "payments" }, "200"), [1, 1, 1]],
        [istioLabels("source", { destination_canonical_service: "unknown", destination_service_name: "unknown" }, "200"), [1, 1, 1]],
      ],
      {
        orders: {
          requests: 4,
          errors: 1,
          buckets: [
            [0.005, 1],
            [0.025, 2],
            [Infinity, 4],
          ],
          summary: null,
        },
        payments: {
          requests: 1,
          errors: 0,
          buckets: [
            [0.005, 1],
            [0.025, 1],
            [Infinity, 1],
          ],
          summary: null,
        },
      },
      { requests: 0, errors: 0, buckets: null, summary: null },
    ],
    [
      "destination-reported series are the instance's own server side, not edges",
      [
        [istioLabels("destination", {}, "200"), [2, 4, 6]],
        [istioLabels("destination", {}, "500"), [0, 0, 2]],
      ],
      {},
      {
        requests: 8,
        errors: 2,
        buckets: [
          [0.005, 2],
          [0.025, 4],
          [Infinity, 8],
        ],
        summary: null,
      },
    ],
  ] as const)("Istio: %s", (_name, series, edges, self) => {
    const zero = series.map(([labels]): [TLabels, number[]] => [labels, [0, 0, 0]]);
    const [signals] = run([istio(zero), istio(series.map(([labels, counts]) => [labels, [...counts]]))]);
    expect(Object.fromEntries(signals?.edges ?? [])).toEqual(edges);
    expect(signals?.self).toEqual(self);
  });

  test("Istio: the application's own metrics win over the sidecar's, for itself and for a callee", () => {
    const scrape = (n: number) => [
      ...istio([
        [istioLabels("destination", {}, "200"), [n, n, n]],
        [istioLabels("source", {}, "200"), [n, n, n]],
        [istioLabels("source", { destination_canonical_service: "payments" }, "200"), [n, n, n]],
      ]),
      counter("http_requests_total", [[ok, 2 * n]]),
      counter("http_client_requests_total", [[{ peer_service: "orders", code: "200" }, 3 * n]]),
    ];
    const [signals] = run([scrape(0), scrape(1)]);
    expect(signals?.self.requests).toBe(2);
    expect([...(signals?.edges ?? [])].map(([callee, edge]) => [callee, edge.requests])).toEqual([
      ["orders", 3],
      ["payments", 1],
    ]);
  });

  test("reports the interval and the metric the instance's signals came from", () => {
    const instance = new InstanceSignals(defaultMetricNames);
    instance.next([counter("http_requests_total", [[ok, 1]])], 1_000);
    expect(instance.intervalMs).toBeNull();
    instance.next([counter("http_requests_total", [[ok, 2]])], 11_500);
    expect(instance.intervalMs).toBe(10_500);
    expect(instance.selfMetric).toBe("http_requests_total");
  });

  test("series listed in another order, or with one inserted before them, still match their own baseline", () => {
    const other = { ...ok, route: "/payments" };
    const [reordered, inserted] = selfOf([
      [
        counter("http_requests_total", [
          [ok, 10],
          [other, 100],
        ]),
      ],
      [
        counter("http_requests_total", [
          [other, 101],
          [ok, 12],
        ]),
      ],
      [
        counter("http_requests_total", [
          [failed, 1],
          [other, 101],
          [ok, 15],
        ]),
      ],
    ]);
    expect(reordered).toMatchObject({ requests: 3, errors: 0 });
    expect(inserted).toMatchObject({ requests: 4, errors: 1 });
  });

  test("remembers only the series it reads, and forgets those that disappear", () => {
    const instance = new InstanceSignals(defaultMetricNames);
    const routes = (count: number) => [
      counter(
        "http_requests_total",
        Array.from({ length: count }, (_, i): [TLabels, number] => [{ route: `/r${i}`, code: "200" }, i]),
      ),
      counter("process_cpu_seconds_total", [[{}, 1]]),
    ];
    instance.next(routes(50), 0);
    expect(instance.seriesCount).toBe(50);
    instance.next(routes(3), 10_000);
    expect(instance.seriesCount).toBe(3);
    const fromBytes = new InstanceSignals(defaultMetricNames);
    for (const [count, atMs] of [
      [50, 0],
      [3, 10_000],
      [60, 20_000],
    ] as const) {
      fromBytes.scrape(exposition(routes(count)), { openMetrics: false, atMs });
      expect(fromBytes.seriesCount).toBe(count);
    }
  });
});

describe("a scrape's body read as bytes", () => {
  const body = (n: number, tail = "") => Buffer.from(`http_requests_total{code="200"} ${n}\nhttp_requests_total{code="500"} ${n / 10}\n${tail}`);

  test("a body that does not parse throws and keeps no value: the next scrape's increases cover both", () => {
    const instance = new InstanceSignals(defaultMetricNames);
    instance.scrape(body(100), { openMetrics: false, atMs: 0 });
    expect(() => instance.scrape(body(150, "http_requests_total{code= 1\n"), { openMetrics: false, atMs: 10_000 })).toThrow(MetricsParseError);
    expect(instance.scrape(body(200), { openMetrics: false, atMs: 20_000 })?.self).toMatchObject({ requests: 110, errors: 10 });
  });

  test("OpenMetrics bodies too, with the series' _total names", () => {
    const instance = new InstanceSignals(defaultMetricNames);
    const om = (n: number) => Buffer.from(`# TYPE http_requests counter\nhttp_requests_total{code="200"} ${n} # {trace_id="x"} 1\n# EOF\n`);
    instance.scrape(om(1), { openMetrics: true, atMs: 0 });
    expect(instance.scrape(om(4), { openMetrics: true, atMs: 10_000 })?.self).toMatchObject({ requests: 3, errors: 0 });
  });
});

describe("CounterIncreases", () => {
  test.each([
    ["a rising counter", [5, 7, 12], [5, 2, 5]],
    ["a reset: the new value is the increase", [100, 3, 4], [100, 3, 1]],
    ["NaN and Inf add nothing and keep the baseline", [5, Number.NaN, Number.POSITIVE_INFINITY, 9], [5, 0, 0, 4]],
    ["a first value that is NaN is not a baseline", [Number.NaN, 4, 6], [0, 4, 2]],
  ] as const)("%s", (_name, values, increases) => {
    const counters = new CounterIncreases();
    const seen = values.map((value) => {
      counters.begin();
      const increase = counters.increase("x", value);
      counters.end();
      return increase;
    });
    expect(seen).toEqual(increases);
  });
});

describe("CounterIncreases from bytes", () => {
  test("give what keys as strings give, through reorders, churn and the arena growing and dropping forgotten bytes", () => {
    const random = seededRandom(7);
    const byKey = new CounterIncreases();
    const byBytes = new CounterIncreases();
    const values = new Map<string, number>();
    for (let scrape = 0; scrape < 40; scrape++) {
      // A window of series that slides and is shuffled now and then; values rise, and sometimes reset.
      const keys = Array.from({ length: 300 }, (_, i) => `x_total{series="${scrape * 20 + i}"}`);
      if (scrape % 7 === 3) keys.sort(() => random() - 0.5);
      const body = Buffer.from(keys.join("\n"));
      byKey.begin();
      byBytes.begin();
      let at = 0;
      for (const key of keys) {
        const value = random() < 0.01 ? 0 : (values.get(key) ?? 0) + Math.floor(random() * 10);
        values.set(key, value);
        expect(byBytes.increaseAt(body, at, at + key.length, value)).toBe(byKey.increase(key, value));
        at += key.length + 1;
      }
      byKey.end();
      byBytes.end();
      expect(byBytes.size).toBe(byKey.size);
    }
  });
});

describe("series keys from the parser", () => {
  // Two scrapes of a histogram with two label sets, one of them with a label value that contains the pair separators.
  const scrape = (n: number) =>
    [
      "# TYPE http_request_duration_seconds histogram",
      ...[
        ['code="200"', 1],
        ['code="500",note="a=b,c"', 2],
      ].flatMap(([labels, k]) => [
        `http_request_duration_seconds_bucket{${labels},le="0.1"} ${n * Number(k)}`,
        `http_request_duration_seconds_bucket{${labels},le="+Inf"} ${2 * n * Number(k)}`,
        `http_request_duration_seconds_count{${labels}} ${2 * n * Number(k)}`,
      ]),
      "",
    ].join("\n");

  test("give the same signals as label pairs built by the reader", () => {
    const keyed = new InstanceSignals(defaultMetricNames);
    const built = new InstanceSignals(defaultMetricNames);
    for (const [n, at] of [
      [10, 0],
      [25, 10_000],
      [40, 20_000],
    ] as const) {
      const withKeys = keyed.next(parseExposition(scrape(n), { reads: keyed.reads, keys: true }), at);
      const without = built.next(parseExposition(scrape(n), { reads: built.reads }), at);
      expect(withKeys).toEqual(without);
    }
    expect(keyed.seriesCount).toBe(6);
  });
});
