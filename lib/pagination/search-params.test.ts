import { describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { toAppError } from "@/lib/api/gate";
import { parseSearch, toSearch, toSearchParams, withSearch, type TSearchParams } from "./search-params";

// The real error mapping of API routes (lib/api/handler), without the sign-in it also holds (next-auth needs a Next server).
vi.mock("@/lib/auth/session", () => ({}));

const ZFilters = z.strictObject({ service: z.string().optional(), kind: z.string().optional() });

// As GET routes answer: the code, the status and the field named.
function refusal(search: URLSearchParams | TSearchParams) {
  try {
    parseSearch(ZFilters, search);
  } catch (error) {
    const { code, status, field, message } = toAppError(error);
    return { code, status, field, message };
  }
  throw new Error("it was accepted");
}

describe("toSearchParams", () => {
  test.each<[string, TSearchParams, string]>([
    ["nothing", {}, ""],
    ["one value each", { service: "orders", kind: "health" }, "service=orders&kind=health"],
    ["a repeated value stays repeated", { kind: ["health", "failover"] }, "kind=health&kind=failover"],
    ["undefined is left out", { service: undefined, kind: "health" }, "kind=health"],
    ["an empty list is left out", { kind: [] }, ""],
    ["an empty value is kept", { service: "" }, "service="],
  ])("%s", (_name, search, query) => {
    expect(toSearchParams(search).toString()).toBe(query);
  });

  test("URLSearchParams are taken as they are", () => {
    const params = new URLSearchParams("a=1&a=2");
    expect(toSearchParams(params)).toBe(params);
  });
});

describe("parseSearch", () => {
  test.each<[string, URLSearchParams | TSearchParams, z.output<typeof ZFilters>]>([
    ["URL params", new URLSearchParams("service=orders&kind=health"), { service: "orders", kind: "health" }],
    ["a page's searchParams", { service: "orders" }, { service: "orders" }],
    ["empty values count as not given", new URLSearchParams("service=&kind="), {}],
    ["an empty searchParams value too", { service: "", kind: undefined }, {}],
    ["a one-item list is one value", { service: ["orders"] }, { service: "orders" }],
  ])("reads %s", (_name, search, filters) => {
    expect(parseSearch(ZFilters, search)).toEqual(filters);
  });

  test.each<[string, URLSearchParams | TSearchParams, string]>([
    ["twice in a URL", new URLSearchParams("kind=a&kind=b"), "kind"],
    ["twice, the same value", new URLSearchParams("kind=a&kind=a"), "kind"],
    ["twice, the first empty", new URLSearchParams("kind=&kind=b"), "kind"],
    ["twice, both empty", new URLSearchParams("kind=&kind="), "kind"],
    ["twice in searchParams", { service: ["a", "b"] }, "service"],
  ])("refuses a parameter given %s, naming it", (_name, search, field) => {
    expect(refusal(search)).toEqual({ code: "validation_failed", status: 422, field, message: `${field}: must be given once` });
  });

  test.each<[string, URLSearchParams | TSearchParams]>([
    ["in a URL", new URLSearchParams("colour=red")],
    ["in searchParams", { colour: "red", service: "orders" }],
  ])("a strict schema refuses an unknown parameter %s, naming it", (_name, search) => {
    expect(refusal(search)).toMatchObject({ code: "validation_failed", status: 422, field: "colour" });
  });

  test("an unknown parameter left empty is not given, so not refused", () => {
    expect(parseSearch(ZFilters, new URLSearchParams("colour="))).toEqual({});
  });

  test("a schema that is not strict drops what it does not know", () => {
    expect(parseSearch(z.object({ service: z.string().optional() }), new URLSearchParams("service=a&colour=red"))).toEqual({ service: "a" });
  });
});

test.each<[Record<string, string | undefined>, string]>([
  [{}, ""],
  [{ service: "orders", kind: undefined, range: "" }, "service=orders"],
  [{ kind: "health,failover", service: "a b" }, "kind=health%2Cfailover&service=a+b"],
  [{ from: "2026-01-10T00:00:00.000Z" }, "from=2026-01-10T00%3A00%3A00.000Z"],
])("toSearch(%j) -> %j, and reads back the same", (values, query) => {
  expect(toSearch(values)).toBe(query);
  expect(Object.fromEntries(new URLSearchParams(query))).toEqual(Object.fromEntries(Object.entries(values).filter(([, value]) => value)));
});

test.each<[string, Record<string, string | null | undefined>, string]>([
  ["", {}, "/events"],
  ["", { service: "orders" }, "/events?service=orders"],
  ["service=orders&before=5_a", { before: null }, "/events?service=orders"],
  ["service=orders", { service: "" }, "/events"],
  ["service=orders", { service: undefined }, "/events"],
  ["service=orders&kind=health", { service: "shop" }, "/events?service=shop&kind=health"],
  ["kind=health", { before: "5_a", range: "24h" }, "/events?kind=health&before=5_a&range=24h"],
])("withSearch(%j, %j)", (query, changes, href) => {
  expect(withSearch("/events", query, changes)).toBe(href);
});
