import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { InstanceSignals } from "./derive";
import { parseExposition } from "./parse";
import { defaultMetricNames } from "../types";

// A real HAProxy 2.6.12 exporter's answer (Debian's), after 7 requests answered 200 and 2 answered 500 through
// frontend `fe` to backend `orders`; backend `users` had none. The baseline is the same text with every
// response counter at 0.
const fixture = readFileSync(join(__dirname, "fixtures", "haproxy-2.6.metrics.txt"), "utf8");
const responses = /^(haproxy_(?:backend|frontend)_http_responses_total\{[^}]*\}) \d+$/gm;

function signalsBetween(before: string, after: string) {
  const signals = new InstanceSignals(defaultMetricNames);
  signals.next(parseExposition(before), 0);
  return signals.next(parseExposition(after), 10_000)!;
}

describe("HAProxy's Prometheus exporter", () => {
  test("each backend's responses are an edge to it, 5xx its errors; the frontends' are HAProxy's own", () => {
    const scrape = signalsBetween(fixture.replace(responses, "$1 0"), fixture);
    expect(Object.fromEntries(scrape.edges)).toEqual({
      orders: { requests: 9, errors: 2, buckets: null, summary: null },
      users: { requests: 0, errors: 0, buckets: null, summary: null },
    });
    expect(scrape.self).toEqual({ requests: 9, errors: 2, buckets: null, summary: null });
  });

  test.each([
    ["1xx", 0],
    ["2xx", 0],
    ["3xx", 0],
    ["4xx", 0],
    ["5xx", 5],
    ["other", 0],
  ])("code %s: 5 responses, %i of them errors", (code, errors) => {
    const text = (n: number) =>
      `# TYPE haproxy_backend_http_responses_total counter\nhaproxy_backend_http_responses_total{proxy="orders",code="${code}"} ${n}\n`;
    expect(Object.fromEntries(signalsBetween(text(10), text(15)).edges)).toEqual({ orders: { requests: 5, errors, buckets: null, summary: null } });
  });

  test("a counter that went back (HAProxy restarted) counts from zero", () => {
    const text = (n: number) => `haproxy_backend_http_responses_total{proxy="orders",code="2xx"} ${n}\n`;
    expect(signalsBetween(text(1000), text(3)).edges.get("orders")?.requests).toBe(3);
  });
});
