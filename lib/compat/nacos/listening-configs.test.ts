import { describe, expect, test } from "vitest";
import { changedConfigsAnswer, maxListenedConfigs, parseListeningConfigs } from "./listening-configs";

const md5 = "0123456789abcdef0123456789abcdef";

describe("Listening-Configs", () => {
  test("reads records with and without a tenant", () => {
    const text = `app.json\u0002DEFAULT_GROUP\u0002${md5}\u0001db.yaml\u0002orders\u0002\u0002dev\u0001`;
    expect(parseListeningConfigs(text)).toEqual([
      { dataId: "app.json", group: "DEFAULT_GROUP", md5, tenant: "" },
      { dataId: "db.yaml", group: "orders", md5: "", tenant: "dev" },
    ]);
  });

  test.each([
    ["", /at least one/],
    ["app.json\u0002DEFAULT_GROUP\u0001", /record 1/],
    [`a\u0002b\u0002${md5}\u0002t\u0002extra\u0001`, /record 1/],
    ["a\u0002b\u0002not-an-md5\u0001", /md5/],
    [`a\u0002b\u0002${md5}\u0001`.repeat(maxListenedConfigs + 1), /at most/],
  ])("refuses %j", (text, message) => {
    expect(() => parseListeningConfigs(text)).toThrow(message);
  });

  test("answers changed configs URL-encoded, as the SDKs decode them", () => {
    const answer = changedConfigsAnswer([
      { dataId: "app.json", group: "DEFAULT_GROUP", tenant: "" },
      { dataId: "db.yaml", group: "orders", tenant: "dev" },
    ]);
    expect(answer).toBe("app.json%02DEFAULT_GROUP%01db.yaml%02orders%02dev%01");
    expect(decodeURIComponent(answer)).toBe("app.json\u0002DEFAULT_GROUP\u0001db.yaml\u0002orders\u0002dev\u0001");
    expect(changedConfigsAnswer([])).toBe("");
  });
});
