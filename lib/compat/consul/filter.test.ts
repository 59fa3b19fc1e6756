import { describe, expect, test } from "vitest";
import { parseFilter } from "./filter";

const fields = ["ID", "Service", "Tags", "Meta", "Port"];
const orders = { ID: "orders-1", Service: "orders", Tags: ["go", "v2"], Meta: { zone: "a", "app-version": "1.2" }, Port: 9000 };
const billing = { ID: "billing-1", Service: "billing", Tags: [], Meta: { zone: "b" }, Port: 9100 };

describe("Consul filter expressions", () => {
  test.each([
    ['Service == "orders"', [true, false]],
    ["Service == orders", [true, false]],
    ['Service != "orders"', [false, true]],
    ['Tags contains "go"', [true, false]],
    ['"v2" in Tags', [true, false]],
    ['"v2" not in Tags', [false, true]],
    ['Tags not contains "go"', [false, true]],
    ['Meta.zone == "a"', [true, false]],
    ['Meta["app-version"] == "1.2"', [true, false]],
    ["Tags is empty", [false, true]],
    ["Tags is not empty", [true, false]],
    ["Port == 9100", [false, true]],
    ['Service == "orders" and Tags contains "go"', [true, false]],
    ['Service == "billing" or Meta.zone == "a"', [true, true]],
    ['not (Service == "orders")', [false, true]],
    ['Service == "orders" and (Meta.zone == "b" or Tags contains "v2")', [true, false]],
    ["Service == `orders`", [true, false]],
    ["", [true, true]],
  ] as const)("%s", (text, expected) => {
    const filter = parseFilter(text, fields);
    expect([filter(orders), filter(billing)]).toEqual(expected);
  });

  test.each([
    ['Nope == "x"', 'Selector "Nope" is not valid'],
    ['Service matches "o.*"', "operator 'matches' is not supported"],
    ['Service == "orders" and', "expected a selector"],
    ['(Service == "orders"', "expected ')'"],
    ["Service = orders", "unexpected '= orders'"],
    ['Service == "x" Tags', "unexpected 'Tags'"],
    ["(".repeat(40) + 'Service == "x"' + ")".repeat(40), "nested more than 32 levels deep"],
    ["Service == " + "x".repeat(3000), "at most 2048 characters"],
  ])("%s is refused", (text, message) => {
    expect(() => parseFilter(text, fields)).toThrow(message);
  });

  test("a selector looks into a list of objects: any element may match", () => {
    const filter = parseFilter('Checks.Status == "critical"', ["Checks"]);
    expect(filter({ Checks: [{ Status: "passing" }, { Status: "critical" }] })).toBe(true);
    expect(filter({ Checks: [{ Status: "passing" }] })).toBe(false);
  });
});
