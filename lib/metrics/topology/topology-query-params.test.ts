import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseTopologyParams, toTopologySearch } from "./topology-query-params";

const now = Date.parse("2030-01-10T12:00:00Z");
const read = (query: string) => parseTopologyParams(new URLSearchParams(query), now);

describe("parseTopologyParams", () => {
  test.each([
    ["nothing: now, over 1 min", "", { window: 60_000 }],
    ["an ISO time", "at=2030-01-10T11:00:00Z", { at: now - 3_600_000, window: 60_000 }],
    ["milliseconds", `at=${now - 5000}&window=10s`, { at: now - 5000, window: 10_000 }],
    ["now itself", `at=${now}`, { at: now, window: 60_000 }],
    ["filters; empty ones are left out", "q=ord&tag=zone-a&service=orders&window=", { q: "ord", tag: "zone-a", service: "orders", window: 60_000 }],
    ["focus two hops out", "service=orders&hops=2", { service: "orders", hops: 2, window: 60_000 }],
    ["grouping, with groups open", "group=tag&expand=zone-a,%20zone-b,,zone-a", { group: "tag", expand: ["zone-a", "zone-b"], window: 60_000 }],
  ])("%s", (_name, query, expected) => {
    expect(read(query)).toEqual(expected);
  });

  test.each([
    ["at=tomorrow", "at", "must be an ISO 8601 time"],
    [`at=${now + 1}`, "at", "must not be in the future"],
    ["window=1s", "window", "must be at least 10s"],
    ["window=25h", "window", "must be at most 24h"],
    ["window=-1m", "window", "must be a duration"],
    ["service=..", "service", "may hold only"],
    ["tag=a&tag=b", "tag", "must be given once"],
    ["range=1h", "range", "Unrecognized key"],
    ["hops=4", "hops", "must be between 1 and 3"],
    ["hops=1.5", "hops", "must be a whole number"],
    ["group=team", "group", "must be one of namespace, tag, prefix, none"],
    [`expand=${Array.from({ length: 51 }, (_, i) => `g${i}`).join(",")}`, "expand", "at most 50 groups"],
  ])("%s is refused, naming %s", (query, field, message) => {
    let error: unknown;
    try {
      read(query);
    } catch (caught) {
      error = caught;
    }
    // The API names the field as lib/api/handler does: the issue's path, or the unknown key.
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    const named = error instanceof AppError ? error.field : issue?.code === "unrecognized_keys" ? issue.keys[0] : issue?.path.join(".");
    expect(named).toBe(field);
    expect(error instanceof AppError ? error.message : issue?.message).toContain(message);
  });
});

test.each([
  ["", ""],
  [`window=60s&q=ord`, "q=ord"],
  [`at=2030-01-10T11:00:00Z&window=5m&service=orders&tag=zone-a`, `at=${now - 3_600_000}&window=300000ms&tag=zone-a&service=orders`],
  ["expand=b,a&group=prefix&hops=2&service=orders", "service=orders&hops=2&group=prefix&expand=b%2Ca"],
])("toTopologySearch(%j) -> %j, and reads back the same", (query, search) => {
  const parsed = read(query);
  expect(toTopologySearch(parsed)).toBe(search);
  expect(read(search)).toEqual(parsed);
});
