import { describe, expect, test } from "vitest";
import { toAppError } from "@/lib/api/gate";
import { parseGoDuration, scriptChecksDisabled, toRegistration } from "./registration";

const base = { ID: "orders-1", Name: "orders", Tags: ["go"], Address: "127.0.0.1", Port: 9000 };
const options = { peer: "10.0.0.9", scriptChecks: false };

// The message the API answers with (a zod error read the way every API handler reads it).
function refusal(register: () => unknown): string {
  try {
    register();
  } catch (error) {
    return toAppError(error).message;
  }
  return "accepted";
}

describe("Go durations", () => {
  test.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["0", 0],
    ["1.5s", 1500],
    ["10", null],
    ["10x", null],
    ["s", null],
    ["10s junk", null],
  ])("%s", (text, ms) => expect(parseGoDuration(text)).toBe(ms));
});

describe("a Consul service definition as a Meshdeck registration", () => {
  test("the seed's Go registration, script checks refused unless allowed", () => {
    const seed = { ...base, Check: { Script: "./check.sh", Interval: "10s", Timeout: "5s", DeregisterCriticalServiceAfter: "1m" } };
    expect(() => toRegistration(seed, options)).toThrow(scriptChecksDisabled);
    expect(toRegistration(seed, { ...options, scriptChecks: true })).toMatchObject({
      service: "orders",
      id: "orders-1",
      host: "127.0.0.1",
      port: 9000,
      tags: ["go"],
      check: { kind: "script", args: ["/bin/sh", "-c", "./check.sh"], interval: 10_000, timeout: 5000, deregisterAfter: 60_000, rise: 1, fall: 1 },
    });
  });

  test.each([
    [
      { TTL: "15s", DeregisterCriticalServiceAfter: "90s" },
      { kind: "ttl", ttl: 15_000, deregisterAfter: 90_000 },
    ],
    [{ TTL: "15s" }, { kind: "ttl", ttl: 15_000, deregisterAfter: null }],
    [
      { HTTP: "http://127.0.0.1:9000/health?deep=1", Interval: "5s" },
      { kind: "http", path: "/health?deep=1", interval: 5000, timeout: 4000 },
    ],
    [
      { TCP: "127.0.0.1:9000", Interval: "2s", Timeout: "1s", FailuresBeforeCritical: 3 },
      { kind: "tcp", interval: 2000, timeout: 1000, fall: 3 },
    ],
    [
      { GRPC: "127.0.0.1:9000/orders.v1", Interval: "20s" },
      { kind: "grpc", service: "orders.v1", interval: 20_000, timeout: 10_000 },
    ],
    [
      { GRPC: "127.0.0.1:9000", Interval: "1s" },
      { kind: "grpc", service: "" },
    ],
    [{ Args: ["/usr/bin/true"], Interval: "1s" }, "Scripts are disabled on this agent"],
    [{ HTTP: "http://169.254.169.254:9000/latest", Interval: "1s" }, "must be the service's own 127.0.0.1:9000"],
    [{ HTTP: "http://127.0.0.1:9001/health", Interval: "1s" }, "must be the service's own 127.0.0.1:9000"],
    [{ HTTP: "https://127.0.0.1:9000/health", Interval: "1s" }, "must be an http:// URL"],
    [{ HTTP: "http://127.0.0.1:9000/health", Method: "POST", Interval: "1s" }, "plain GET"],
    [{ TCP: "10.0.0.1:9000", Interval: "1s" }, "must be the service's own"],
    [{ GRPC: "127.0.0.1:9000", GRPCUseTLS: true, Interval: "1s" }, "TLS"],
    [{ HTTP: "http://127.0.0.1:9000/" }, "Interval is required"],
    [{ HTTP: "http://127.0.0.1:9000/", Interval: "1s", Timeout: "2s" }, "timeout: must be shorter than the interval"],
    [{ H2PING: "127.0.0.1:9000", Interval: "1s" }, "one of Args, HTTP, TCP, GRPC or TTL"],
    [{ TTL: "soon" }, 'must be a duration such as "10s"'],
  ])("check %j", (Check, expected) => {
    const register = () => toRegistration({ ...base, Check }, options);
    if (typeof expected === "string") expect(refusal(register)).toContain(expected);
    else expect(register().check).toMatchObject(expected);
  });

  test("no check: a TCP check of the address; no Address: the caller's", () => {
    const { host, check } = toRegistration({ Name: "orders", Port: 9000 }, options);
    expect(host).toBe("10.0.0.9");
    expect(check).toMatchObject({ kind: "tcp", interval: 10_000 });
  });

  test("Weights.Passing is the weight; ID defaults to the name; Meta is the metadata", () => {
    const input = toRegistration({ Name: "orders", Address: "127.0.0.1", Port: 9000, Weights: { Passing: 7, Warning: 1 }, Meta: { zone: "a" } }, options);
    expect(input).toMatchObject({ id: "orders", weight: 7, metadata: { zone: "a" } });
  });

  test.each([
    [{ ...base, Port: 0 }, "Port is required"],
    [{ ...base, Checks: [{ TTL: "5s" }, { TTL: "6s" }] }, "one check per instance"],
    [{ ...base, Check: { TTL: "5s", CheckID: "mine" } }, "leave CheckID out"],
    [{ ...base, Name: "bad name" }, "service: may hold only"],
    [{ ...base, Tags: ["a\u0000b"] }, "tags"],
    [{ ...base, Meta: { k: "v\u001b[31m" } }, "metadata"],
    [{ ...base, Address: "169.254.169.254" }, "host"],
    [{ ...base, Weights: { Passing: 20_000 } }, "weight"],
    [{ ID: "x" }, "Missing service name"],
  ])("refused: %j", (body, message) => {
    expect(refusal(() => toRegistration(body, options))).toContain(message);
  });
});
