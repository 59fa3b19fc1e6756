import { describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { toAppError } from "@/lib/api/gate";
import { decodeCursor, encodeCursor, olderThan, ZCursor, ZPageLimit } from "./cursor";
import { parseSearch } from "./search-params";

// The real error mapping of API routes (lib/api/handler), without the sign-in it also holds (next-auth needs a Next server).
vi.mock("@/lib/auth/session", () => ({}));

describe("encodeCursor and decodeCursor", () => {
  test.each([
    ["a cuid", { at: new Date("2026-01-10T12:00:00.000Z"), id: "cm5abcdef0000xyz" }, "1768046400000_cm5abcdef0000xyz"],
    ["a uuid, with hyphens", { at: new Date(1), id: "0b9d3c1e-3f5a-4c1b-9a6e-1f2d3c4b5a69" }, "1_0b9d3c1e-3f5a-4c1b-9a6e-1f2d3c4b5a69"],
    ["the epoch", { at: new Date(0), id: "a" }, "0_a"],
    ["milliseconds kept", { at: new Date("2030-01-10T12:00:00.123Z"), id: "x" }, "1894276800123_x"],
    ["the longest id", { at: new Date(5), id: "a".repeat(64) }, `5_${"a".repeat(64)}`],
  ])("%s round-trips", (_name, cursor, encoded) => {
    expect(encodeCursor(cursor)).toBe(encoded);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  test.each([
    ["", "empty"],
    ["x", "no separator"],
    ["garbage!", "punctuation"],
    ["_a", "no time"],
    ["5_", "no id"],
    ["-5_a", "a negative time"],
    ["1.5_a", "a fractional time"],
    ["1e3_a", "an exponent"],
    ["1234567890123456_a", "a time past 15 digits"],
    [`5_${"a".repeat(65)}`, "an id past 64 characters"],
    ["5_a_b", "a second separator"],
    ["5_a b", "a space in the id"],
    ["5_a%00", "an escape in the id"],
    ["5_ä", "a letter outside ASCII"],
    ["5_a\n", "a trailing newline"],
    [" 5_a", "a leading space"],
    [Buffer.from("5_a").toString("base64url"), "another encoding of a good one"],
  ])("refuses %j (%s)", (value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});

describe("a bad cursor parameter is a validation failure naming it, never a crash", () => {
  const schema = z.strictObject({ cursor: ZCursor.optional(), before: ZCursor.optional(), limit: ZPageLimit });
  const refusal = (query: string) => {
    try {
      parseSearch(schema, new URLSearchParams(query));
    } catch (error) {
      const { code, status, field, message } = toAppError(error);
      return { code, status, field, message };
    }
    throw new Error(`'${query}' was accepted`);
  };

  test.each([
    ["cursor=x", "cursor"],
    ["cursor=1_a_b", "cursor"],
    ["cursor=%00", "cursor"],
    ["before=garbage!", "before"],
    [`cursor=5_${"a".repeat(65)}`, "cursor"],
  ])("%s -> %s", (query, field) => {
    expect(refusal(query)).toEqual({ code: "validation_failed", status: 422, field, message: `${field}: must be a cursor from a previous page's nextCursor` });
  });

  test("a good one is read, an empty one is no cursor", () => {
    expect(parseSearch(schema, new URLSearchParams("cursor=5_a&before="))).toEqual({ cursor: { at: new Date(5), id: "a" }, limit: 50 });
  });
});

describe("ZPageLimit", () => {
  test.each([
    [undefined, 50],
    ["1", 1],
    ["200", 200],
  ])("%j -> %d", (value, limit) => {
    expect(ZPageLimit.parse(value)).toBe(limit);
  });

  test.each([
    ["0", "must be 1-200"],
    ["201", "must be 1-200"],
    ["2.5", "must be a whole number"],
    ["ten", "must be a number"],
  ])("refuses %j: %s", (value, message) => {
    expect(ZPageLimit.safeParse(value).error?.issues[0]?.message).toBe(message);
  });
});

test("olderThan: after the cursor in newest-first order, by time then id; everything without one", () => {
  const at = new Date(5);
  expect(olderThan({ at, id: "b" })).toEqual({ OR: [{ at: { lt: at } }, { at, id: { lt: "b" } }] });
  expect(olderThan(undefined)).toEqual({});
});
