import { describe, expect, test } from "vitest";
import { keyPattern } from "./key-pattern";

describe("keyPattern", () => {
  test.each([
    ["/services/", "/services/orders/1", true],
    ["/services/", "/other/orders/1", false],
    ["/", "/orders", true],
    ["/", "/meshdeck/overrides/orders/1", false],
    ["/*", "/orders", true],
    ["/*", "/orders/1", false],
    ["/*", "/meshdeck", true],
    ["/*", "/micro/registry/greeter/x", false],
    ["/services/*/*", "/services/orders/1", true],
    ["/services/*/*", "/services/orders/1/2", false],
    ["*/*", "my-service/1.2.3.4", true],
    ["*/*", "/meshdeck/x", false],
  ])("%s reads %s: %s", (pattern, key, expected) => {
    expect(keyPattern(pattern).matches(key)).toBe(expected);
  });

  test.each([
    ["/services/", "/services/", "/services/"],
    ["/*", "/", "/"],
    ["/services/*/*", "/services/", "/services/"],
    ["/svc-*/*", "/svc-", "/"],
    ["*/*", "", ""],
  ])("%s asks etcd for %j and decodes below %j", (pattern, range, prefix) => {
    expect(keyPattern(pattern)).toMatchObject({ range, prefix });
  });
});
