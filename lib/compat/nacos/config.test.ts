import { describe, expect, test } from "vitest";
import { configRef, formatOfType, listenTimeoutMs } from "./config";

describe("Nacos config names", () => {
  test.each([
    [{ dataId: "app.json" }, { namespace: "public", group: "DEFAULT_GROUP", key: "app.json" }],
    [
      { dataId: "app.json", tenant: "", group: "" },
      { namespace: "public", group: "DEFAULT_GROUP", key: "app.json" },
    ],
    [
      { dataId: "db.yaml", tenant: "dev", group: "orders" },
      { namespace: "dev", group: "orders", key: "db.yaml" },
    ],
  ])("%j is %j", (input, expected) => {
    expect(configRef(input)).toEqual(expected);
  });

  test.each([
    [{ dataId: "a/b" }, "dataId"],
    [{ dataId: "app", tenant: "Dev" }, "tenant"],
    [{ dataId: "app", group: "a b" }, "group"],
  ])("%j is refused on %s", (input, field) => {
    expect(() => configRef(input)).toThrow(expect.objectContaining({ code: "bad_request", field }) as Error);
  });

  test.each([
    [undefined, undefined],
    ["json", "json"],
    ["yaml", "yaml"],
    ["yml", "yaml"],
    ["properties", "properties"],
    ["xml", "text"],
    ["html", "text"],
    ["text", "text"],
  ])("type %s is format %s", (type, format) => {
    expect(formatOfType(type)).toBe(format);
  });

  test("the listener answers half a second before the client's timeout, and holds at most two minutes", () => {
    expect(listenTimeoutMs(undefined)).toBe(29_500);
    expect(listenTimeoutMs("30000")).toBe(29_500);
    expect(listenTimeoutMs("100")).toBe(0);
    expect(listenTimeoutMs("600000")).toBe(120_000);
    expect(() => listenTimeoutMs("soon")).toThrow(/Long-Pulling-Timeout/);
  });
});
