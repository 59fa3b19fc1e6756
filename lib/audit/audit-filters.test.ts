import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseAuditFilters, parseAuditQuery, toAuditSearch } from "./audit-filters";

const parse = (query: string) => parseAuditQuery(new URLSearchParams(query));

function refusal(query: string, read: (query: string) => unknown = parse) {
  try {
    read(new URLSearchParams(query).toString());
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, field: error.field, message: error.message };
    // As the API handler reports it (lib/api/handler.ts toAppError): 422, the path, or the unknown key.
    if (!(error instanceof z.ZodError)) throw error;
    const [issue] = error.issues;
    const field = [...(issue?.path ?? []), ...(issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [])].join(".");
    return { status: 422, field, message: `${field}: ${issue?.message}` };
  }
  throw new Error(`'${query}' was accepted`);
}

describe("accepted filters", () => {
  test.each([
    ["", {}],
    ["user=admin", { user: "admin" }],
    ["user=%20Ada%20", { user: "Ada" }],
    ["service=orders", { service: "orders" }],
    ["action=instance.weight", { action: { value: "instance.weight", prefix: false } }],
    ["action=instance.", { action: { value: "instance.", prefix: true } }],
    ["action=instance.*", { action: { value: "instance.", prefix: true } }],
    ["action=settings.checks.allow-link-local", { action: { value: "settings.checks.allow-link-local", prefix: false } }],
    ["from=2026-01-10T12:00:00Z", { from: new Date("2026-01-10T12:00:00Z") }],
    ["from=2026-01-10T12:00:00%2B02:00", { from: new Date("2026-01-10T10:00:00Z") }],
    ["from=2026-01-10", { from: new Date("2026-01-10T00:00:00.000Z") }],
    ["to=2026-01-10", { to: new Date("2026-01-10T23:59:59.999Z") }],
    ["from=2026-01-10&to=2026-01-10", { from: new Date("2026-01-10T00:00:00.000Z"), to: new Date("2026-01-10T23:59:59.999Z") }],
    ["service=&user=", {}],
  ])("%j", (query, filters) => {
    expect(parse(query).filters).toEqual(filters);
  });

  test("a page: the cursor and the limit", () => {
    expect(parse("cursor=1768046400000_cm5abc&limit=10")).toEqual({ filters: {}, cursor: { at: new Date(1768046400000), id: "cm5abc" }, limit: 10 });
    expect(parse("").limit).toBe(50);
  });
});

describe("refused filters name the field", () => {
  test.each([
    ["user=" + "x".repeat(201), "user"],
    ["service=no/slash", "service"],
    ["action=Not An Action", "action"],
    ["action=..", "action"],
    ["action=instance.**", "action"],
    ["from=yesterday", "from"],
    ["from=2026-01-10T12:00:00", "from"], // no offset: whose noon?
    ["to=2026-13-01", "to"],
    ["from=2026-01-11&to=2026-01-10", "to"],
    ["cursor=x", "cursor"],
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=ten", "limit"],
    ["colour=red", "colour"],
    ["user=a&user=b", "user"],
  ])("%j -> %s", (query, field) => {
    expect(refusal(query)).toMatchObject({ status: 422, field });
  });

  test("the export takes filters only: a cursor is refused", () => {
    const read = (query: string) => parseAuditFilters(new URLSearchParams(query));
    expect(refusal("cursor=1_a", read)).toMatchObject({ status: 422, field: "cursor" });
    expect(read("action=user.&service=orders")).toEqual({ action: { value: "user.", prefix: true }, service: "orders" });
  });

  test("the message says what is wrong", () => {
    expect(refusal("from=yesterday").message).toMatch(/^from: must be an ISO 8601 time/);
    expect(refusal("from=2026-01-11&to=2026-01-10").message).toBe("to: must not be before from");
  });
});

test.each([
  ["action=instance.*&user=Ada&from=2026-01-10", "user=Ada&action=instance.&from=2026-01-10T00%3A00%3A00.000Z"],
  ["service=orders&cursor=5_a&limit=50", "service=orders&cursor=5_a"],
  ["limit=20", "limit=20"],
])("toAuditSearch(%j) -> %j, and reads back the same", (query, search) => {
  const parsed = parse(query);
  expect(toAuditSearch(parsed)).toBe(search);
  expect(parse(search)).toEqual(parsed);
});
