import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import type { TSourceInstance } from "../types";
import { ConfiguratorsConflict, configuratorsPath, mergeMeshdeckOverride } from "./dubbo-configurators";
import { applyRules, rulesFromDocument } from "./dubbo-rules";

const parts = { interface: "com.foo.BarService" };
const address = "10.0.0.1:20880";
const provider: TSourceInstance = {
  instanceId: "com.foo.BarService:10.0.0.1:20880",
  service: "com.foo.BarService",
  host: "10.0.0.1",
  port: 20880,
  weight: 100,
  enabled: true,
  tags: [],
  metadata: { application: "demo", side: "provider" },
};

/** What a Dubbo consumer would make of the document for the provider. */
function seen(text: string | null) {
  if (text === null) return { weight: provider.weight, enabled: provider.enabled };
  const read = rulesFromDocument(text);
  if ("skipped" in read) throw new Error(read.skipped);
  const { weight, enabled } = applyRules(provider, read.rules);
  return { weight, enabled };
}

const adminDocument = `# written by Dubbo Admin
configVersion: v2.7
scope: service
key: com.foo.BarService
enabled: true
configs:
  - type: weight
    enabled: true
    addresses: [10.0.0.9:20880]
    side: provider
    parameters:
      weight: 400
  - addresses: [0.0.0.0]
    side: consumer
    parameters:
      timeout: 3000
`;

describe("configuratorsPath", () => {
  test.each([
    ["/dubbo", parts, "/dubbo/config/dubbo/com.foo.BarService::.configurators"],
    ["/dubbo/", { interface: "com.foo.BarService", version: "1.0.0", group: "blue" }, "/dubbo/config/dubbo/com.foo.BarService:1.0.0:blue.configurators"],
    ["/dubbo", { interface: "com.foo.BarService", version: "1.0.0" }, "/dubbo/config/dubbo/com.foo.BarService:1.0.0:.configurators"],
  ])("%s %j", (prefix, service, path) => {
    expect(configuratorsPath(prefix, service)).toBe(path);
  });
});

describe("mergeMeshdeckOverride", () => {
  test("a new document in Dubbo Admin's form, with Meshdeck's typed item", () => {
    const text = mergeMeshdeckOverride(null, { parts: { ...parts, group: "blue", version: "1.0.0" }, address, override: { weight: 50, enabled: false } });
    expect(parse(text!)).toEqual({
      configVersion: "v2.7",
      scope: "service",
      key: "blue/com.foo.BarService:1.0.0",
      enabled: true,
      configs: [{ type: "meshdeck", enabled: true, addresses: [address], side: "provider", parameters: { weight: 50, disabled: true } }],
    });
    expect(text).toContain(`"${address}"`);
  });

  test.each([
    [
      { weight: 50, enabled: null },
      { weight: 50, enabled: true },
    ],
    [
      { weight: null, enabled: false },
      { weight: 100, enabled: false },
    ],
    [
      { weight: 0, enabled: true },
      { weight: 0, enabled: true },
    ],
  ])("what Dubbo sees after %j", (override, expected) => {
    expect(seen(mergeMeshdeckOverride(null, { parts, address, override }))).toEqual(expected);
  });

  test("nothing to write and nothing there: no document", () => {
    expect(mergeMeshdeckOverride(null, { parts, address, override: { weight: null, enabled: null } })).toBeNull();
    expect(mergeMeshdeckOverride("  \n", { parts, address, override: { weight: null, enabled: null } })).toBeNull();
  });

  test("keeps what others wrote, comments included, and replaces only its own item", () => {
    const once = mergeMeshdeckOverride(adminDocument, { parts, address, override: { weight: 50, enabled: null } })!;
    const twice = mergeMeshdeckOverride(once, { parts, address, override: { weight: 70, enabled: null } })!;
    expect(twice).toContain("# written by Dubbo Admin");
    const configs = (parse(twice) as { configs: unknown[] }).configs;
    expect(configs).toHaveLength(3);
    expect(configs.slice(0, 2)).toEqual((parse(adminDocument) as { configs: unknown[] }).configs);
    expect(configs[2]).toMatchObject({ type: "meshdeck", addresses: [address], parameters: { weight: 70 } });
    expect(seen(twice)).toEqual({ weight: 70, enabled: true });
  });

  test("an item per address: another instance's item stays when this one's is reset", () => {
    const other = mergeMeshdeckOverride(adminDocument, { parts, address: "10.0.0.2:20880", override: { weight: 1, enabled: null } })!;
    const both = mergeMeshdeckOverride(other, { parts, address, override: { weight: 2, enabled: null } })!;
    const reset = mergeMeshdeckOverride(both, { parts, address, override: { weight: null, enabled: null } })!;
    expect(reset).toBe(other);
  });

  test("resetting leaves others' rules; a document left without rules is deleted", () => {
    const withOurs = mergeMeshdeckOverride(adminDocument, { parts, address, override: { weight: 50, enabled: false } })!;
    const reset = mergeMeshdeckOverride(withOurs, { parts, address, override: { weight: null, enabled: null } })!;
    expect(parse(reset)).toEqual(parse(adminDocument));
    expect(reset).toContain("# written by Dubbo Admin");
    const onlyOurs = mergeMeshdeckOverride(null, { parts, address, override: { weight: 50, enabled: null } });
    expect(mergeMeshdeckOverride(onlyOurs, { parts, address, override: { weight: null, enabled: null } })).toBeNull();
  });

  test("an item someone else wrote for the same address with the same shape but no Meshdeck type is theirs", () => {
    const theirs =
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- addresses: ['10.0.0.1:20880']\n  side: provider\n  parameters: {weight: 5}\n";
    expect(mergeMeshdeckOverride(theirs, { parts, address, override: { weight: null, enabled: null } })).toBe(theirs);
  });

  test("adds a configs list to a document that has none", () => {
    const text = mergeMeshdeckOverride("configVersion: v2.7\nscope: service\nkey: com.foo.BarService\n", {
      parts,
      address,
      override: { weight: 3, enabled: null },
    });
    expect(seen(text)).toEqual({ weight: 3, enabled: true });
  });

  test.each([
    ["not YAML", "key: [unclosed"],
    ["a list (the JSON-array form)", '["override://0.0.0.0/com.foo.BarService?weight=1"]'],
    ["configs that is not a list", "key: x\nconfigs: 3\n"],
  ])("refuses to overwrite a document that is %s", (_, text) => {
    expect(() => mergeMeshdeckOverride(text, { parts, address, override: { weight: 1, enabled: null } })).toThrow(ConfiguratorsConflict);
  });
});
