import { describe, expect, test } from "vitest";
import { ZChangeInstances } from "./schemas";

const drain = { enabled: false };

/** The field a refusal names, as the API's 422 does (lib/api/handler.ts): the issue's path, and an unknown key's name. */
function refusal(body: string) {
  const parsed = ZChangeInstances.safeParse(JSON.parse(body));
  if (parsed.success) return { accepted: parsed.data };
  const [issue] = parsed.error.issues;
  const keys = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  return { field: [...(issue?.path ?? []), ...keys].join(".") };
}

describe("ZChangeInstances refuses selectors that would choose the whole fleet, and keys that are not its own", () => {
  test.each([
    ["an empty metadata selector", { selector: { metadata: {} }, change: drain }, "selector.metadata"],
    ["an empty selector", { selector: {}, change: drain }, "selector"],
    ["__proto__ as a metadata key", '{"selector":{"metadata":{"__proto__":"x"}},"change":{"enabled":false}}', "selector.metadata"],
    ["__proto__ beside a real metadata key", '{"selector":{"metadata":{"__proto__":"x","zone":"a"}},"change":{"enabled":false}}', "selector.metadata"],
    ["constructor as a metadata key", { selector: { metadata: { constructor: "x" } }, change: drain }, "selector.metadata"],
    ["an unknown top-level __proto__", '{"__proto__":"x","selector":{"service":"orders"},"change":{"enabled":false}}', "__proto__"],
    ["an unknown key in the selector", '{"selector":{"service":"orders","__proto__":{"all":true}},"change":{"enabled":false}}', "selector.__proto__"],
    ["an unknown key in the change", { selector: { service: "orders" }, change: { enabled: false, everything: true } }, "change.everything"],
  ])("%s is refused, naming %s", (_label, body, field) => {
    expect(refusal(typeof body === "string" ? body : JSON.stringify(body))).toEqual({ field });
  });

  test("a selector naming a metadata value still goes through", () => {
    expect(refusal(JSON.stringify({ selector: { metadata: { zone: "a" } }, change: drain }))).toEqual({
      accepted: { selector: { metadata: { zone: "a" } }, change: drain, force: false },
    });
  });
});
