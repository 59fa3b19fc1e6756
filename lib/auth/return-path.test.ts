import { describe, expect, test } from "vitest";
import { loginHref, safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  test.each([
    ["/services/orders", "/services/orders"],
    ["/services/orders?range=24h#instance-1", "/services/orders?range=24h#instance-1"],
    ["/events?from=2026-12-07T00:00:00Z&to=2026-12-07T06:00:00Z", "/events?from=2026-12-07T00:00:00Z&to=2026-12-07T06:00:00Z"],
    ["/a/../audit", "/audit"],
  ])("keeps the path %s", (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });

  test.each([
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/login",
    "/login?callbackUrl=/x",
    "/setup",
    "/api/v1/users",
    `/${"a".repeat(3000)}`,
    undefined,
    null,
    ["/events"],
    42,
  ])("refuses %j: back to /", (value) => {
    expect(safeReturnPath(value)).toBe("/");
  });
});

describe("loginHref", () => {
  test("carries a path of the site, and nothing for the overview or a foreign address", () => {
    expect(loginHref("/events?range=1h")).toBe("/login?callbackUrl=%2Fevents%3Frange%3D1h");
    expect(loginHref("/")).toBe("/login");
    expect(loginHref("//evil.example")).toBe("/login");
  });
});
