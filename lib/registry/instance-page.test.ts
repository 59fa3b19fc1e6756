import { describe, expect, test, vi } from "vitest";
import { toAppError } from "@/lib/api/gate";
import { decodeInstanceCursor, encodeInstanceCursor, parseInstancePageQuery, toInstancePageSearch } from "./instance-page";

// The real error mapping of API routes (lib/api/handler), without the sign-in it also holds (next-auth needs a Next server).
vi.mock("@/lib/auth/session", () => ({}));

describe("instance cursors", () => {
  test.each([
    ["a plain id", { rowId: "cm5abcdef0000xyz", instanceId: "orders-1" }],
    ["an address id", { rowId: "0b9d3c1e-3f5a-4c1b-9a6e-1f2d3c4b5a69", instanceId: "10.0.0.7:8080" }],
    ["the longest id", { rowId: "a".repeat(64), instanceId: `x${"y".repeat(127)}` }],
  ])("%s round-trips, opaque", (_name, cursor) => {
    const encoded = encodeInstanceCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain(cursor.instanceId);
    expect(decodeInstanceCursor(encoded)).toEqual(cursor);
  });

  test.each([
    ["", "empty"],
    ["!!!", "not base64url"],
    ["orders-1", "an instance id as it is"],
    [btoa("only-one-part"), "one part"],
    [btoa("row -starts-with-dash"), "an instance id that ZInstanceId refuses"],
    [btoa("row a b"), "a third part"],
    [btoa(`${"a".repeat(65)} x`), "a row id past 64 characters"],
    ["A".repeat(401), "too long"],
  ])("refuses %j (%s)", (value) => {
    expect(decodeInstanceCursor(value)).toBeNull();
  });
});

describe("parseInstancePageQuery", () => {
  test.each([
    ["", { limit: 100 }],
    ["limit=1000", { limit: 1000 }],
    ["limit=1&q=%20canary%20", { limit: 1, q: "canary" }],
    ["health=critical&enabled=false&tag=eu", { limit: 100, health: "critical", enabled: false, tag: "eu" }],
    ["enabled=true", { limit: 100, enabled: true }],
    // An empty parameter counts as not given, as a form with an empty field sends it.
    ["q=&health=&enabled=", { limit: 100 }],
  ])("%j reads as %j", (query, expected) => {
    expect(parseInstancePageQuery(new URLSearchParams(query))).toEqual(expected);
  });

  test("a cursor from encodeInstanceCursor is read back", () => {
    const cursor = { rowId: "r1", instanceId: "orders-7" };
    expect(parseInstancePageQuery(new URLSearchParams({ cursor: encodeInstanceCursor(cursor) })).cursor).toEqual(cursor);
  });

  const refusal = (query: string) => {
    try {
      parseInstancePageQuery(new URLSearchParams(query));
    } catch (error) {
      const { status, field } = toAppError(error);
      return { status, field };
    }
    throw new Error(`'${query}' was accepted`);
  };

  test.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=1.5", "limit"],
    ["limit=ten", "limit"],
    ["cursor=x!", "cursor"],
    ["cursor=b3JkZXJzLTE", "cursor"],
    ["health=sick", "health"],
    ["enabled=yes", "enabled"],
    [`q=${"a".repeat(129)}`, "q"],
    [`tag=${"a".repeat(65)}`, "tag"],
    ["limit=5&limit=6", "limit"],
    ["page=2", "page"],
  ])("%j is a 422 naming %s", (query, field) => {
    expect(refusal(query)).toEqual({ status: 422, field });
  });
});

test("toInstancePageSearch writes what parseInstancePageQuery reads, leaving out defaults", () => {
  const cursor = encodeInstanceCursor({ rowId: "r", instanceId: "a-1" });
  const search = toInstancePageSearch({ q: "10.0.", health: "passing", enabled: false, tag: "canary", limit: 50, cursor });
  expect(parseInstancePageQuery(new URLSearchParams(search))).toEqual({
    q: "10.0.",
    health: "passing",
    enabled: false,
    tag: "canary",
    limit: 50,
    cursor: { rowId: "r", instanceId: "a-1" },
  });
  expect(toInstancePageSearch({ limit: 100, cursor: null })).toBe("");
});
