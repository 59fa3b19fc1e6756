import { readFileSync } from "node:fs";
import client from "prom-client";
import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { isOpenMetrics, MetricsParseError, parseExposition, parseNumber, scanExposition, type ScannedSample } from "./parse";
import { bucketsFromSamples } from "../rollup/quantile";
import type { TMetricFamily, TSample } from "../types";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const family = (families: TMetricFamily[], name: string) => {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no family ${name}`);
  return found;
};
const inf = Number.POSITIVE_INFINITY;

// fixtures/ holds /metrics bodies captured as served (trimmed only where said): Debian's etcd 3.4.23 after 50 puts;
// Debian's Prometheus 2.42.0 scraping itself and that etcd under a job named `etcd "main" \dc1<newline>rack2`, so
// its own metrics carry escaped label values (2.42 serves only the text format); and Debian's python3-prometheus-client
// 0.16, the OpenMetrics reference implementation, serving a counter, histogram, summary, info, enum and gauge
// histogram with exemplars, asked for `application/openmetrics-text; version=1.0.0`.
describe("captures from real exporters", () => {
  // Sample counts match what Prometheus 2.42 itself reported as scrape_samples_scraped for the same bodies
  // (the etcd capture was 1246 before its grpc_server_handled_total was cut to 24 of 697 series).
  test.each([
    ["etcd-3.4.metrics.txt", false, 123, 573, { gauge: 63, histogram: 18, counter: 41, summary: 1 }],
    ["prometheus-2.42.metrics.txt", false, 169, 423, { summary: 10, gauge: 70, counter: 82, histogram: 7 }],
    ["python-client-0.16.openmetrics.txt", true, 17, 152, { counter: 5, gauge: 7, histogram: 1, summary: 1, info: 1, stateset: 1, gaugehistogram: 1 }],
  ])("%s: families, samples and types", (name, openMetrics, familyCount, sampleCount, types) => {
    const families = parseExposition(fixture(name), { openMetrics });
    expect(families).toHaveLength(familyCount);
    expect(families.reduce((n, f) => n + f.samples.length, 0)).toBe(sampleCount);
    const counted: Record<string, number> = {};
    for (const f of families) counted[f.type] = (counted[f.type] ?? 0) + 1;
    expect(counted).toEqual(types);
    // Every sample sits in the family its name belongs to.
    for (const f of families) for (const s of f.samples) expect(s.name.startsWith(f.name)).toBe(true);
  });

  test("etcd 3.4: a histogram's buckets, sum and count", () => {
    const fsync = family(parseExposition(fixture("etcd-3.4.metrics.txt")), "etcd_disk_wal_fsync_duration_seconds");
    expect(fsync.type).toBe("histogram");
    expect(fsync.help).toBe("The latency distributions of fsync called by WAL.");
    const bounds = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, inf];
    expect(bucketsFromSamples(fsync.samples.filter((s) => s.name.endsWith("_bucket")))).toEqual(bounds.map((le, i) => [le, i === 0 ? 54 : 56]));
    expect(fsync.samples.slice(-2)).toEqual([
      { name: "etcd_disk_wal_fsync_duration_seconds_sum", labels: {}, value: 0.027962937000000004 },
      { name: "etcd_disk_wal_fsync_duration_seconds_count", labels: {}, value: 56 },
    ]);
    const handled = family(parseExposition(fixture("etcd-3.4.metrics.txt")), "grpc_server_handled_total");
    expect(handled.samples[0]).toEqual({
      name: "grpc_server_handled_total",
      labels: { grpc_code: "Aborted", grpc_method: "Alarm", grpc_service: "etcdserverpb.Maintenance", grpc_type: "unary" },
      value: 0,
    });
  });

  test("Prometheus 2.42: escaped label values, a summary with NaN quantiles", () => {
    const families = parseExposition(fixture("prometheus-2.42.metrics.txt"));
    // The capture's scrape job was named `etcd "main" \dc1<newline>rack2`, and Prometheus exports it in labels.
    const job = 'etcd "main" \\dc1\nrack2';
    expect(family(families, "net_conntrack_dialer_conn_failed_total").samples).toContainEqual({
      name: "net_conntrack_dialer_conn_failed_total",
      labels: { dialer_name: job, reason: "timeout" },
      value: 0,
    });
    expect(family(families, "prometheus_sd_discovered_targets").samples).toContainEqual({
      name: "prometheus_sd_discovered_targets",
      labels: { config: job, name: "scrape" },
      value: 1,
    });
    const gc = family(families, "go_gc_duration_seconds");
    expect(gc.type).toBe("summary");
    expect(gc.samples.map((s) => [s.name, s.labels.quantile, s.value])).toEqual([
      ["go_gc_duration_seconds", "0", 3.4464e-5],
      ["go_gc_duration_seconds", "0.25", 3.9064e-5],
      ["go_gc_duration_seconds", "0.5", 5.3961e-5],
      ["go_gc_duration_seconds", "0.75", 6.1635e-5],
      ["go_gc_duration_seconds", "1", 0.001215228],
      ["go_gc_duration_seconds_sum", undefined, 0.001404352],
      ["go_gc_duration_seconds_count", undefined, 5],
    ]);
    const ruleEvaluation = family(families, "prometheus_rule_evaluation_duration_seconds");
    expect(ruleEvaluation.samples[0]!.value).toBeNaN();
    expect(family(families, "prometheus_build_info").samples[0]!.labels).toEqual({
      branch: "debian/sid",
      goarch: "amd64",
      goos: "linux",
      goversion: "go1.19.8",
      revision: "2.42.0+ds-5+deb12u1",
      version: "2.42.0+ds",
    });
  });

  test("Python client (OpenMetrics reference implementation): every OpenMetrics type, exemplars, units", () => {
    const families = parseExposition(fixture("python-client-0.16.openmetrics.txt"), { openMetrics: true });
    const path = '/pay "fast"\\path\nnext';
    const requests = family(families, "http_requests");
    expect(requests.type).toBe("counter");
    // `77.0 # {trace_id="..."} 1.0 1795324410.749797`: the exemplar is skipped.
    expect(requests.samples.slice(0, 2)).toEqual([
      { name: "http_requests_total", labels: { code: "200", method: "GET", path: "/orders/{id}" }, value: 77 },
      { name: "http_requests_created", labels: { code: "200", method: "GET", path: "/orders/{id}" }, value: 1795324410.746608 },
    ]);
    expect(requests.samples).toContainEqual({ name: "http_requests_total", labels: { code: "503", method: "GET", path }, value: 5 });

    const duration = family(families, "http_request_duration_seconds");
    expect(duration).toMatchObject({ type: "histogram", unit: "seconds", help: "Latency of HTTP requests." });
    const postPay = duration.samples.filter((s) => s.labels.method === "POST" && s.labels.path === path);
    expect(bucketsFromSamples(postPay.filter((s) => s.name.endsWith("_bucket")))).toEqual([
      [0.005, 5],
      [0.01, 9],
      [0.025, 14],
      [0.05, 17],
      [0.1, 33],
      [0.25, 38],
      [0.5, 38],
      [1, 38],
      [2.5, 38],
      [inf, 38],
    ]);
    expect(postPay.filter((s) => !s.name.endsWith("_bucket")).map((s) => [s.name, s.value])).toEqual([
      ["http_request_duration_seconds_count", 38],
      ["http_request_duration_seconds_sum", 2.034156690364309],
      ["http_request_duration_seconds_created", 1795324410.746948],
    ]);

    expect(family(families, "http_response_size_bytes")).toMatchObject({ type: "summary", unit: "bytes" });
    expect(family(families, "build")).toEqual({
      name: "build",
      type: "info",
      help: 'Build information of the "orders" service\\with a backslash.',
      samples: [{ name: "build_info", labels: { branch: "release/1.4", revision: "a1b2c3d", version: "1.4.2" }, value: 1 }],
    });
    const breaker = family(families, "orders_breaker_state");
    expect(breaker.type).toBe("stateset");
    expect(breaker.samples.filter((s) => s.value === 1).map((s) => s.labels)).toEqual([
      { orders_breaker_state: "half_open", peer_service: "payments" },
      { orders_breaker_state: "closed", peer_service: "stock" },
    ]);
    expect(family(families, "orders_queue_wait_seconds")).toEqual({
      name: "orders_queue_wait_seconds",
      type: "gaugehistogram",
      help: "Wait time of queued orders.",
      unit: "seconds",
      samples: [
        { name: "orders_queue_wait_seconds_bucket", labels: { le: "0.1" }, value: 4 },
        { name: "orders_queue_wait_seconds_bucket", labels: { le: "1" }, value: 9 },
        { name: "orders_queue_wait_seconds_bucket", labels: { le: "+Inf" }, value: 11 },
        { name: "orders_queue_wait_seconds_gcount", labels: {}, value: 11 },
        { name: "orders_queue_wait_seconds_gsum", labels: {}, value: 6.5 },
      ],
    });
  });

  test.each([
    ["text format", client.Registry.PROMETHEUS_CONTENT_TYPE],
    ["OpenMetrics", client.Registry.OPENMETRICS_CONTENT_TYPE],
  ] as const)("prom-client 15, %s", async (_format, contentType) => {
    const registry = new client.Registry<client.RegistryContentType>();
    registry.setContentType(contentType);
    client.collectDefaultMetrics({ register: registry });
    const openMetrics = contentType === client.Registry.OPENMETRICS_CONTENT_TYPE;
    const requests = new client.Counter({
      name: "http_requests_total",
      help: 'Requests, "quoted" \\ and\nsplit',
      labelNames: ["code", "route"],
      registers: [registry],
    });
    requests.inc({ code: "200", route: 'a"b\\c\nd' }, 3);
    const latency = new client.Histogram<string>({
      name: "http_request_duration_seconds",
      help: "Latency.",
      labelNames: ["method"],
      buckets: [0.1, 0.5, 1],
      registers: [registry],
      enableExemplars: openMetrics,
    });
    for (const seconds of [0.05, 0.2, 0.3, 0.7, 2]) {
      if (openMetrics) latency.observe({ labels: { method: "GET" }, value: seconds, exemplarLabels: { traceId: "abc" } });
      else latency.observe({ method: "GET" }, seconds);
    }
    new client.Gauge({ name: "temperature", help: "Not measured yet.", registers: [registry] }).set(Number.NaN);

    const body = await registry.metrics();
    expect(isOpenMetrics(registry.contentType)).toBe(openMetrics);
    const families = parseExposition(body, { openMetrics: isOpenMetrics(registry.contentType) });

    // OpenMetrics names the counter family without _total; the text format keeps it.
    const counter = family(families, openMetrics ? "http_requests" : "http_requests_total");
    expect(counter.type).toBe("counter");
    expect(counter.samples).toEqual([{ name: "http_requests_total", labels: { code: "200", route: 'a"b\\c\nd' }, value: 3 }]);
    expect(counter.help).toBe('Requests, "quoted" \\ and\nsplit');
    const histogram = family(families, "http_request_duration_seconds");
    expect(bucketsFromSamples(histogram.samples.filter((s) => s.name.endsWith("_bucket")))).toEqual([
      [0.1, 1],
      [0.5, 3],
      [1, 4],
      [inf, 5],
    ]);
    expect(histogram.samples.filter((s) => !s.name.endsWith("_bucket")).map((s) => [s.name, s.value])).toEqual([
      ["http_request_duration_seconds_sum", 3.25],
      ["http_request_duration_seconds_count", 5],
    ]);
    // prom-client writes NaN as `Nan`, which Prometheus (Go's ParseFloat) accepts in any case.
    expect(family(families, "temperature").samples[0]!.value).toBeNaN();
    expect(family(families, openMetrics ? "process_cpu_user_seconds" : "process_cpu_user_seconds_total").samples[0]!.name).toBe(
      "process_cpu_user_seconds_total",
    );
    expect(family(families, "nodejs_eventloop_lag_seconds").type).toBe("gauge");
  });
});

const text = (input: string) => parseExposition(input);
const om = (input: string) => parseExposition(input, { openMetrics: true });
const sample = (name: string, value: number, labels: Record<string, string> = {}, timestampMs?: number): TSample =>
  timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };

describe("text format 0.0.4", () => {
  test.each<[string, string, TMetricFamily[]]>([
    [
      "comments, blank and whitespace-only lines, leading whitespace, tabs",
      "# a plain comment\n\n   \t\n#no space is a comment too\n  # HELP x Help.\n# TYPE x gauge\n \tx\t1\t\n",
      [{ name: "x", type: "gauge", help: "Help.", samples: [sample("x", 1)] }],
    ],
    [
      "samples without TYPE are untyped families of their own name",
      'a 1\nb_bucket{le="1"} 2\nb_count 3\n',
      [
        { name: "a", type: "untyped", samples: [sample("a", 1)] },
        { name: "b_bucket", type: "untyped", samples: [sample("b_bucket", 2, { le: "1" })] },
        { name: "b_count", type: "untyped", samples: [sample("b_count", 3)] },
      ],
    ],
    [
      "a HELP without TYPE still gives its samples a family",
      "# HELP a Only help.\na 1\n",
      [{ name: "a", type: "untyped", help: "Only help.", samples: [sample("a", 1)] }],
    ],
    [
      "escaped label values; an unknown escape stays as written (as in Prometheus)",
      'x{a="q\\"uote",b="back\\\\slash",c="line\\nbreak",d="tab\\tstays",e=""} 1\n',
      [{ name: "x", type: "untyped", samples: [sample("x", 1, { a: 'q"uote', b: "back\\slash", c: "line\nbreak", d: "tab\\tstays", e: "" })] }],
    ],
    [
      "HELP unescapes \\\\ and \\n only; an empty HELP; extra spaces are part of the text",
      '# HELP x A \\\\ and\\nB \\" C\n# HELP y\n# HELP z   spaced\nx 1\ny 1\nz 1\n',
      [
        { name: "x", type: "untyped", help: 'A \\ and\nB \\" C', samples: [sample("x", 1)] },
        { name: "y", type: "untyped", help: "", samples: [sample("y", 1)] },
        { name: "z", type: "untyped", help: "  spaced", samples: [sample("z", 1)] },
      ],
    ],
    [
      "trailing commas, spaces inside braces, no space between } and value, empty label set",
      'x{a="1",} 1\nx{ a = "2" , b="3" , } 2\nx{a="4"}3\nx{} 4\n',
      [{ name: "x", type: "untyped", samples: [sample("x", 1, { a: "1" }), sample("x", 2, { a: "2", b: "3" }), sample("x", 3, { a: "4" }), sample("x", 4)] }],
    ],
    [
      "millisecond timestamps",
      'x 1 1700000000123\nx{a="b"} 2 0\n',
      [{ name: "x", type: "untyped", samples: [sample("x", 1, {}, 1700000000123), sample("x", 2, { a: "b" }, 0)] }],
    ],
    [
      "a counter family named x_total has x_total samples; a counter x takes x_total too",
      "# TYPE a_total counter\na_total 1\n# TYPE b counter\nb 2\nb_total 3\n",
      [
        { name: "a_total", type: "counter", samples: [sample("a_total", 1)] },
        { name: "b", type: "counter", samples: [sample("b", 2), sample("b_total", 3)] },
      ],
    ],
    [
      "histogram: _bucket, _count, _sum and _created belong to the family; another name does not",
      '# TYPE h histogram\nh_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.7\nh_count 2\nh_created 1700000000\nh_total 9\n',
      [
        {
          name: "h",
          type: "histogram",
          samples: [
            sample("h_bucket", 1, { le: "0.5" }),
            sample("h_bucket", 2, { le: "+Inf" }),
            sample("h_sum", 0.7),
            sample("h_count", 2),
            sample("h_created", 1700000000),
          ],
        },
        { name: "h_total", type: "untyped", samples: [sample("h_total", 9)] },
      ],
    ],
    [
      "summary with quantiles",
      '# TYPE s summary\ns{quantile="0.5"} 1\ns{quantile="0.99"} NaN\ns_sum 3\ns_count 2\n',
      [
        {
          name: "s",
          type: "summary",
          samples: [sample("s", 1, { quantile: "0.5" }), sample("s", Number.NaN, { quantile: "0.99" }), sample("s_sum", 3), sample("s_count", 2)],
        },
      ],
    ],
    [
      "samples that come back to an earlier family join it",
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\n# TYPE g gauge\ng 1\nh_count 1\n',
      [
        { name: "h", type: "histogram", samples: [sample("h_bucket", 1, { le: "+Inf" }), sample("h_count", 1)] },
        { name: "g", type: "gauge", samples: [sample("g", 1)] },
      ],
    ],
    ["a repeated identical TYPE line is harmless", "# TYPE g gauge\n# TYPE g gauge\ng 1\n", [{ name: "g", type: "gauge", samples: [sample("g", 1)] }]],
    [
      "CRLF line endings and no newline at the end",
      '# TYPE g gauge\r\ng{a="b"} 1\r\ng 2',
      [{ name: "g", type: "gauge", samples: [sample("g", 1, { a: "b" }), sample("g", 2)] }],
    ],
    [
      "label names that are Object.prototype properties",
      'x{constructor="a",__proto__="b",toString="c"} 1\n',
      [
        {
          name: "x",
          type: "untyped",
          samples: [
            sample(
              "x",
              1,
              Object.defineProperty({ constructor: "a", toString: "c" }, "__proto__", { value: "b", enumerable: true, writable: true, configurable: true }),
            ),
          ],
        },
      ],
    ],
    [
      "metric names with colons",
      'job:http_requests:rate5m{job="a"} 0.5\n',
      [{ name: "job:http_requests:rate5m", type: "untyped", samples: [sample("job:http_requests:rate5m", 0.5, { job: "a" })] }],
    ],
  ])("%s", (_name, input, expected) => {
    expect(text(input)).toEqual(expected);
  });

  test("the __proto__ label is an own property, and the prototype is untouched", () => {
    const [x] = text('x{__proto__="b"} 1\n');
    const labels = x!.samples[0]!.labels;
    expect(Object.keys(labels)).toEqual(["__proto__"]);
    expect(labels.__proto__).toBe("b");
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});

describe("OpenMetrics 1.0", () => {
  test.each<[string, string, TMetricFamily[]]>([
    [
      'counter x with x_total and x_created; HELP unescapes \\" too; UNIT',
      '# TYPE c counter\n# HELP c A \\"c\\" \\\\ \\n.\n# UNIT c seconds\nc_total{a="b"} 1\nc_created{a="b"} 1700000000.5\n# EOF\n',
      [
        {
          name: "c",
          type: "counter",
          help: 'A "c" \\ \n.',
          unit: "seconds",
          samples: [sample("c_total", 1, { a: "b" }), sample("c_created", 1700000000.5, { a: "b" })],
        },
      ],
    ],
    [
      "timestamps in seconds become milliseconds; exemplars are skipped, with or without their timestamp",
      'c_total 1 1700000000.123\nc_total{a="b"} 2 # {trace_id="x\\"}",span="y"} 0.5\nc_total{a="c"} 3 1700000001 # {trace_id="z"} 1 1700000000.9\n# EOF',
      [
        {
          name: "c_total",
          type: "unknown",
          samples: [sample("c_total", 1, {}, 1700000000123), sample("c_total", 2, { a: "b" }), sample("c_total", 3, { a: "c" }, 1700000001000)],
        },
      ],
    ],
    [
      "gaugehistogram, info, stateset, unknown",
      '# TYPE g gaugehistogram\ng_bucket{le="1"} 1\ng_bucket{le="+Inf"} 2\ng_gcount 2\ng_gsum 1.5\n# TYPE i info\ni_info{v="1"} 1\n# TYPE s stateset\ns{s="on"} 1\ns{s="off"} 0\n# TYPE u unknown\nu 3\n# EOF\n',
      [
        {
          name: "g",
          type: "gaugehistogram",
          samples: [sample("g_bucket", 1, { le: "1" }), sample("g_bucket", 2, { le: "+Inf" }), sample("g_gcount", 2), sample("g_gsum", 1.5)],
        },
        { name: "i", type: "info", samples: [sample("i_info", 1, { v: "1" })] },
        { name: "s", type: "stateset", samples: [sample("s", 1, { s: "on" }), sample("s", 0, { s: "off" })] },
        { name: "u", type: "unknown", samples: [sample("u", 3)] },
      ],
    ],
    ["an empty exposition is just # EOF", "# EOF\n", []],
  ])("%s", (_name, input, expected) => {
    expect(om(input)).toEqual(expected);
  });
});

describe("values", () => {
  test.each([
    ["1", 1],
    ["-1.5", -1.5],
    ["+2", 2],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1.5E-3", 0.0015],
    ["-0", -0],
    ["0.1", 0.1],
    // The nearest double: the literal 123456789012345678 would be this same number.
    ["123456789012345678", 123456789012345680],
    ["1.7976931348623157e308", 1.7976931348623157e308],
    ["5e-324", 5e-324],
    ["1.795324410746608e+09", 1795324410.746608],
    ["NaN", Number.NaN],
    ["nan", Number.NaN],
    ["Nan", Number.NaN],
    ["+Inf", inf],
    ["Inf", inf],
    ["+inf", inf],
    ["-Inf", -inf],
    ["INF", inf],
    ["-Infinity", -inf],
    ["infinity", inf],
  ])("%s", (literal, value) => {
    expect(text(`x ${literal}\n`)[0]!.samples[0]!.value).toBe(value);
    expect(parseNumber(literal, 0, literal.length)).toBe(value);
  });

  test.each(["abc", "1.2.3", "1e", "e5", "0x10", "1_000", "1p3", "--1", "+nan", "-NaN", "1e999", "Info", "."])("%s is not a value", (literal) => {
    expect(parseNumber(literal, 0, literal.length)).toBeNull();
    expect(() => text(`x ${literal}\n`)).toThrow(/line 1: invalid value/);
  });

  test("the fast path rounds exactly like Number() on 20,000 literals in the shapes exporters write", () => {
    const next = seededRandom(42);
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(next() * 40 - 20);
      const x = (next() - 0.3) * magnitude;
      const literals = [String(x), x.toExponential(), x.toFixed(6), x.toPrecision(1 + Math.floor(next() * 17)), String(Math.round(x))];
      for (const literal of literals) expect(parseNumber(literal, 0, literal.length)).toBe(Number(literal));
    }
  });
});

describe("interning", () => {
  test("more distinct names and values than the intern table holds come out intact", () => {
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) lines.push(`m${i % 3000}{v${i % 7}="value-${i}"} ${i}`);
    const families = text(`${lines.join("\n")}\n`);
    expect(families).toHaveLength(3000);
    const samples = families.flatMap((f) => f.samples);
    expect(samples).toHaveLength(40_000);
    const byValue = new Map(samples.map((s) => [s.value, s]));
    for (const i of [0, 1, 2999, 16_383, 16_384, 32_768, 39_999]) {
      expect(byValue.get(i)).toEqual({ name: `m${i % 3000}`, labels: { [`v${i % 7}`]: `value-${i}` }, value: i });
    }
  });
});

describe("only the samples read", () => {
  test("parses the samples asked for as a full parse does, and leaves the rest out", () => {
    const text = fixture("etcd-3.4.metrics.txt");
    const wanted = new Set(["etcd_disk_wal_fsync_duration_seconds_bucket", "grpc_server_handled_total"]);
    const all = parseExposition(text).flatMap((f) => f.samples);
    const some = parseExposition(text, { reads: (name) => wanted.has(name) }).flatMap((f) => f.samples);
    expect(some.length).toBeGreaterThan(0);
    expect(some).toEqual(all.filter((sample) => wanted.has(sample.name)));
  });

  test("a malformed line of a sample not read does not fail the scrape; one read does", () => {
    const text = "ignored_total{a=broken} 1\nread_total 2\n";
    expect(parseExposition(text, { reads: (name) => name === "read_total" }).flatMap((f) => f.samples)).toEqual([{ name: "read_total", labels: {}, value: 2 }]);
    expect(() => parseExposition(text, { reads: () => true })).toThrow(MetricsParseError);
  });
});

describe("series keys", () => {
  test("each sample read has its series' text as written as its key, spaces before the value left out", () => {
    const body = 'x_total{b="2",a="1"}   3\nx_total 4\ny{a="x \\" y"}\t5 1700000000000\n';
    const samples = parseExposition(body, { reads: () => true, keys: true }).flatMap((f) => f.samples);
    expect(samples.map((s) => s.key)).toEqual(['x_total{b="2",a="1"}', "x_total", 'y{a="x \\" y"}']);
    expect(samples.map((s) => s.value)).toEqual([3, 4, 5]);
  });

  test("OpenMetrics too", () => {
    const samples = parseExposition('c_total{a="1"} 2 # {trace_id="t"} 1\n# EOF\n', { openMetrics: true, keys: true }).flatMap((f) => f.samples);
    expect(samples[0]?.key).toBe('c_total{a="1"}');
  });

  test("without `keys` the samples have none", () => {
    expect(parseExposition("x 1\n").flatMap((f) => f.samples)[0]).toEqual({ name: "x", labels: {}, value: 1 });
  });

  test("a reader of some samples gets no HELP text; a full parse keeps it", () => {
    const body = "# HELP x_total What x counts.\n# TYPE x_total counter\nx_total 1\n";
    const read = parseExposition(body, { reads: () => true })[0];
    expect(read).toMatchObject({ name: "x_total", type: "counter" });
    expect(read?.help).toBeUndefined();
    expect(parseExposition(body)[0]).toMatchObject({ name: "x_total", type: "counter", help: "What x counts." });
  });

  test("a reader of some samples gets only the families it reads from, typed", () => {
    const body = [
      "# HELP h A histogram.",
      "# TYPE h histogram",
      'h_bucket{le="+Inf"} 2',
      "h_sum 3",
      "h_count 2",
      "# TYPE g gauge",
      "g 1",
      "untyped_one 4",
      "# TYPE c counter",
      "c_total 5",
      "",
    ].join("\n");
    const wanted = new Set(["h_bucket", "c_total"]);
    const families = parseExposition(body, { reads: (name) => wanted.has(name) });
    expect(families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ["h", "histogram", ["h_bucket"]],
      ["c", "counter", ["c_total"]],
    ]);
  });
});

describe("names and values met before", () => {
  test("come out as the same strings from two bodies, and equal to their text", () => {
    const one = parseExposition('m{code="200",route="/api/orders"} 1\n').flatMap((f) => f.samples)[0]!;
    const two = parseExposition('other 1\nm{code="200",route="/api/orders"} 2\n').flatMap((f) => f.samples)[1]!;
    expect(two.labels).toEqual({ code: "200", route: "/api/orders" });
    expect(Object.is(one.labels.route, two.labels.route)).toBe(true);
    expect(Object.is(one.name, two.name)).toBe(true);
  });

  test("strings that share a slot in the recent table do not stand in for each other", () => {
    // Same first and last characters, middle and length: only the comparison in place tells them apart.
    const samples = parseExposition('m{a="xay"} 1\nm{a="xby"} 2\nm{a="xay"} 3\nm{a="xcy"} 4\n').flatMap((f) => f.samples);
    expect(samples.map((s) => s.labels.a)).toEqual(["xay", "xby", "xay", "xcy"]);
  });
});

describe("malformed input", () => {
  test.each<[string, string, boolean, number, RegExp]>([
    ["unterminated label set", 'x{a="b" 1\n', false, 1, /expected "," or "}" after the value of label a/],
    ["unquoted label value", "x{a=b} 1\n", false, 1, /expected a quoted value for label a/],
    ["label value running to the end of the line", 'ok 1\nx{a="b} 1\n', false, 2, /unterminated value for label a/],
    ["label name starting with a digit", 'x{1a="b"} 1\n', false, 1, /expected a label name or "}"/],
    ["leading comma", 'x{,a="b"} 1\n', false, 1, /expected a label name or "}"/],
    ["missing =", 'x{a "b"} 1\n', false, 1, /expected "=" after label name a/],
    ["duplicate label", 'x{a="1",a="2"} 1\n', false, 1, /duplicate label a/],
    ["missing value", "x\n", false, 1, /expected a value/],
    ["missing value after labels", 'x{a="b"}\n', false, 1, /expected a value/],
    ["invalid value", "\n\nx abc\n", false, 3, /invalid value "abc"/],
    ["out of range value", "x 1e999\n", false, 1, /invalid value "1e999"/],
    ["invalid character in a name", "x-y 1\n", false, 1, /invalid character "-" after metric name x/],
    ["invalid timestamp", "x 1 abc\n", false, 1, /invalid timestamp "abc"/],
    ["negative timestamp", "x 1 -5\n", false, 1, /invalid timestamp "-5"/],
    ["an exemplar in text format", 'x 1 # {a="b"} 1\n', false, 1, /invalid timestamp "#"/],
    ["extra field", "a 1\r\nb 2\r\nx 1 2 3\r\n", false, 3, /unexpected "3" after the sample/],
    ["unknown TYPE", "# TYPE x bogus\n", false, 1, /unknown metric type "bogus"/],
    ["TYPE without a type", "# TYPE x\n", false, 1, /unknown metric type ""/],
    ["TYPE without a name", "# TYPE \n", false, 1, /expected a metric name after TYPE/],
    ["conflicting TYPE lines", "# TYPE x counter\n# TYPE x gauge\n", false, 2, /second TYPE line for x/],
    ["TYPE after the samples", "x 1\n# TYPE x counter\n", false, 2, /TYPE line for x after its samples/],
    ["histogram bucket without le", "# TYPE h histogram\nh_bucket 1\n", false, 2, /histogram bucket h_bucket has no "le" label/],
    ["histogram bucket with a bad le", '# TYPE h histogram\nh_bucket{le="fast"} 1\n', false, 2, /invalid "le" value "fast"/],
    ["summary sample without quantile", "# TYPE s summary\ns 1\n", false, 2, /summary sample s has no "quantile" label/],
    ["raw line break in a label value", 'x{a="one\ntwo"} 1\n', false, 1, /unterminated value for label a/],
    ["OpenMetrics without # EOF", "# TYPE c counter\nc_total 1\n", true, 2, /missing # EOF/],
    ["OpenMetrics content after # EOF", "c_total 1\n# EOF\nc_total 2\n", true, 3, /content after # EOF/],
    ["OpenMetrics double space", "c_total  1\n# EOF\n", true, 1, /expected a single space before the value/],
    ["OpenMetrics tab separator", "c_total\t1\n# EOF\n", true, 1, /expected a single space before the value/],
    ["OpenMetrics malformed exemplar", "c_total 1 # trace\n# EOF\n", true, 1, /expected an exemplar after the value/],
    ["OpenMetrics unterminated exemplar", 'c_total 1 # {trace_id="a}"\n# EOF\n', true, 1, /unterminated exemplar/],
    ["OpenMetrics exemplar without a value", 'c_total 1 # {trace_id="a"}\n# EOF\n', true, 1, /expected a single space before the exemplar value/],
    ["OpenMetrics non-finite timestamp", "c_total 1 NaN\n# EOF\n", true, 1, /invalid timestamp "NaN"/],
  ])("%s", (_name, input, openMetrics, line, reason) => {
    let error: unknown;
    try {
      parseExposition(input, { openMetrics });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MetricsParseError);
    expect((error as MetricsParseError).line).toBe(line);
    expect((error as MetricsParseError).message).toMatch(new RegExp(`^line ${line}: ${reason.source}`));
  });

  test("the message quotes the offending line", () => {
    expect(() => text('ok 1\nhttp_requests_total{code="200" 5\n')).toThrow(
      'line 2: expected "," or "}" after the value of label code in "http_requests_total{code=\\"200\\" 5"',
    );
  });
});

describe("bytes, as the collector reads a scrape", () => {
  const bytes = (body: string) => Buffer.from(body, "utf8");

  test.each([
    ["etcd-3.4.metrics.txt", false],
    ["prometheus-2.42.metrics.txt", false],
    ["python-client-0.16.openmetrics.txt", true],
  ])("%s: the bytes parse to what the text does, escaped values, exemplars and timestamps too", (name, openMetrics) => {
    const body = fixture(name);
    expect(parseExposition(bytes(body), { openMetrics, keys: true })).toEqual(parseExposition(body, { openMetrics, keys: true }));
  });

  test("a view into a larger buffer reads only its own bytes", () => {
    const whole = bytes("junk{ 1\nx_total 1\ny 2\n");
    const view = whole.subarray(8, 8 + "x_total 1\n".length);
    expect(parseExposition(new Uint8Array(view.buffer, view.byteOffset, view.byteLength))).toEqual([
      { name: "x_total", type: "untyped", samples: [{ name: "x_total", labels: {}, value: 1 }] },
    ]);
  });

  test("UTF-8 label values and HELP text are decoded whole; a multi-byte char is never read byte by byte", () => {
    const body =
      '# HELP m Requests to the café ☕.\nm{city="Zürich",note="𝄞 clef",a="é"} 1\nm{city="Zürich",note="x",a="Ã©"} 2\nm{city="Zürich",note="x",a="é"} 3\n';
    const [m] = parseExposition(bytes(body));
    expect(m?.help).toBe("Requests to the café ☕.");
    expect(m?.samples.map((s) => [s.labels.city, s.labels.note, s.labels.a])).toEqual([
      ["Zürich", "𝄞 clef", "é"],
      ["Zürich", "x", "Ã©"],
      ["Zürich", "x", "é"],
    ]);
  });

  test("a metric name with a char past ASCII is refused, the whole char quoted", () => {
    expect(() => parseExposition(bytes("café 1\n"))).toThrow('line 1: invalid character "é" after metric name caf in "café 1"');
  });

  test("comments that are not HELP or TYPE are skipped; HELP escapes are read", () => {
    const body = "# just a comment\n#no space\n# HELP x One\\\\two\\nthree\n# TYPE x counter\n#\tTYPE\n  \nx 1\n";
    expect(parseExposition(bytes(body))).toEqual([{ name: "x", type: "counter", help: "One\\two\nthree", samples: [{ name: "x", labels: {}, value: 1 }] }]);
  });

  test("NaN, Inf, signs, exponents and timestamps", () => {
    const body = 'a NaN\nb +Inf\nc -Inf 1700000000000\nd 1.5e-3 0\ne{le="+inf"} -2.5E+2\n';
    const samples = parseExposition(bytes(body)).flatMap((f) => f.samples);
    expect(samples.map((s) => [s.name, s.value, s.timestampMs])).toEqual([
      ["a", NaN, undefined],
      ["b", Infinity, undefined],
      ["c", -Infinity, 1700000000000],
      ["d", 0.0015, 0],
      ["e", -250, undefined],
    ]);
  });

  test("a reader is handed each sample it reads as a view: labels looked up, numbers read in place, the series' bytes", () => {
    const body = '# TYPE h histogram\nh_bucket{code="200",le="0.25"} 3\nh_bucket{code="200",le="+Inf"}  5\nh_sum{code="200"} 1\nother{a="b"} 7\n';
    const seen: unknown[] = [];
    const families = scanExposition(bytes(body), {
      reader: {
        reads: (name) => name === "h_bucket",
        sample: (sample: ScannedSample, family) =>
          seen.push([
            family.name,
            sample.type,
            sample.name,
            sample.labels.get("code"),
            sample.labels.get("missing"),
            sample.labels.number("le"),
            sample.labels.pairs("le"),
            sample.value,
            sample.bytes.toString("utf8", sample.keyStart, sample.keyEnd),
          ]),
      },
    });
    expect(seen).toEqual([
      ["h", "histogram", "h_bucket", "200", undefined, 0.25, "code\u0000200\u0001", 3, 'h_bucket{code="200",le="0.25"}'],
      ["h", "histogram", "h_bucket", "200", undefined, Infinity, "code\u0000200\u0001", 5, 'h_bucket{code="200",le="+Inf"}'],
    ]);
    // The families read from, with no samples: the reader took them.
    expect(families).toEqual([{ name: "h", type: "histogram", samples: [] }]);
  });

  test("an escaped label value is unescaped when looked up, and read as a number when it is one", () => {
    let got: unknown;
    scanExposition(bytes('x{a="say \\"hi\\"\\n",le="1\\\\"} 1\ny{le="\\u0031"} 2\n'), {
      reader: { sample: (sample) => (got ??= [sample.labels.get("a"), sample.labels.number("le")]) },
    });
    expect(got).toEqual(['say "hi"\n', null]);
  });

  test("the samples before a malformed line are handed over, then it throws", () => {
    const names: string[] = [];
    expect(() => scanExposition(bytes("a 1\nb 2\nc{ 3\n"), { reader: { sample: (sample) => names.push(sample.name) } })).toThrow(MetricsParseError);
    expect(names).toEqual(["a", "b"]);
  });
});

describe("isOpenMetrics", () => {
  test.each([
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", true],
    ["application/openmetrics-text; version=0.0.1", true],
    ["Application/OpenMetrics-Text", true],
    ["text/plain; version=0.0.4; charset=utf-8", false],
    ["text/plain", false],
    ["", false],
    [undefined, false],
  ])("%s", (contentType, expected) => {
    expect(isOpenMetrics(contentType)).toBe(expected);
  });
});
