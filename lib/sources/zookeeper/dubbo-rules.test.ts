import { describe, expect, test } from "vitest";
import type { TSourceInstance } from "../types";
import { applyRules, ruleFromOverrideUrl, rulesFromDocument, type TDubboRule } from "./dubbo-rules";

const provider = (overrides: Partial<TSourceInstance> = {}): TSourceInstance => ({
  instanceId: "com.foo.BarService:10.0.0.1:20880",
  service: "com.foo.BarService",
  host: "10.0.0.1",
  port: 20880,
  weight: 100,
  enabled: true,
  tags: [],
  metadata: { application: "demo", side: "provider" },
  ...overrides,
});

function legacy(url: string): TDubboRule[] {
  const read = ruleFromOverrideUrl(url);
  if ("skipped" in read) throw new Error(read.skipped);
  return read.rule ? [read.rule] : [];
}

function doc(text: string): TDubboRule[] {
  const read = rulesFromDocument(text);
  if ("skipped" in read) throw new Error(read.skipped);
  return read.rules;
}

const effective = (rules: TDubboRule[], instance = provider()) => {
  const { weight, enabled } = applyRules(instance, rules);
  return { weight, enabled };
};

describe("legacy override:// rules", () => {
  test.each([
    [
      "a weight for this provider",
      "override://10.0.0.1:20880/com.foo.BarService?category=configurators&dynamic=false&weight=200",
      { weight: 200, enabled: true },
    ],
    ["a weight for another port", "override://10.0.0.1:20881/com.foo.BarService?weight=200", { weight: 100, enabled: true }],
    ["a weight for another host", "override://10.0.0.2:20880/com.foo.BarService?weight=200", { weight: 100, enabled: true }],
    ["disabled for every provider", "override://0.0.0.0/com.foo.BarService?category=configurators&disabled=true", { weight: 100, enabled: false }],
    ["a bare IP names a consumer, not this provider", "override://10.0.0.1/com.foo.BarService?weight=5", { weight: 100, enabled: true }],
    ["a rule switched off with enabled=false", "override://10.0.0.1:20880/com.foo.BarService?weight=5&enabled=false", { weight: 100, enabled: true }],
    ["for this application", "override://0.0.0.0/com.foo.BarService?application=demo&weight=7", { weight: 7, enabled: true }],
    ["for another application", "override://0.0.0.0/com.foo.BarService?application=other&weight=7", { weight: 100, enabled: true }],
    ["for consumers only", "override://0.0.0.0/com.foo.BarService?side=consumer&weight=7", { weight: 100, enabled: true }],
    ["for another group", "override://0.0.0.0/com.foo.BarService?group=blue&weight=7", { weight: 100, enabled: true }],
    ["for any group", "override://0.0.0.0/com.foo.BarService?group=*&weight=7", { weight: 7, enabled: true }],
    ["a ~ condition that holds", "override://0.0.0.0/com.foo.BarService?~application=demo&weight=8", { weight: 8, enabled: true }],
    ["a ~ condition that does not", "override://0.0.0.0/com.foo.BarService?~application=x&weight=8", { weight: 100, enabled: true }],
  ])("%s", (_, url, expected) => {
    expect(effective(legacy(url))).toEqual(expected);
  });

  test("a rule for the host wins over 0.0.0.0 whatever their order, and priority orders rules of one rank", () => {
    const host = legacy("override://10.0.0.1:20880/com.foo.BarService?weight=300");
    const any = legacy("override://0.0.0.0/com.foo.BarService?weight=50");
    expect(effective([...host, ...any])).toEqual({ weight: 300, enabled: true });
    const high = legacy("override://0.0.0.0/com.foo.BarService?weight=60&priority=2");
    expect(effective([...high, ...any])).toEqual({ weight: 60, enabled: true });
  });

  test.each([
    ["empty:// is no rule", "empty://0.0.0.0/com.foo.BarService?category=configurators", null],
    ["an override that sets neither weight nor disabled", "override://0.0.0.0/com.foo.BarService?timeout=300", null],
  ])("%s", (_, url) => {
    expect(ruleFromOverrideUrl(url)).toEqual({ rule: null });
  });

  test.each([["absent://0.0.0.0/x?weight=1"], ["route://0.0.0.0/x"], ["not a url"]])("skips %s", (url) => {
    expect(ruleFromOverrideUrl(url)).toEqual({ skipped: expect.any(String) });
  });
});

describe("v2.7 configurator documents", () => {
  const adminWeight = `configVersion: v2.7
scope: service
key: com.foo.BarService
enabled: true
configs:
- type: weight
  enabled: true
  addresses: [10.0.0.1:20880]
  side: provider
  parameters:
    weight: 400
`;

  test.each([
    ["Dubbo Admin's weight item", adminWeight, { weight: 400, enabled: true }],
    ["a typed item without its own enabled is off, as in Dubbo", adminWeight.replace("  enabled: true\n", ""), { weight: 100, enabled: true }],
    ["a typed item ignores the document's switch", adminWeight.replace("enabled: true\nconfigs", "enabled: false\nconfigs"), { weight: 400, enabled: true }],
    [
      "a general item follows the document's switch",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nenabled: false\nconfigs:\n- addresses: ['10.0.0.1:20880']\n  side: provider\n  parameters: {disabled: true}\n",
      { weight: 100, enabled: true },
    ],
    [
      "disabled for every provider of the service",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- side: provider\n  parameters: {disabled: true}\n",
      { weight: 100, enabled: false },
    ],
    [
      "a consumer-side item changes no provider",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- side: consumer\n  addresses: [0.0.0.0]\n  parameters: {weight: 1}\n",
      { weight: 100, enabled: true },
    ],
    [
      "0.0.0.0:<port> names providers on that port",
      "configVersion: v2.7\nscope: application\nkey: demo\nconfigs:\n- addresses: ['0.0.0.0:20880']\n  side: provider\n  parameters: {disabled: true}\n",
      { weight: 100, enabled: false },
    ],
    [
      "another port",
      "configVersion: v2.7\nscope: application\nkey: demo\nconfigs:\n- addresses: ['0.0.0.0:20881']\n  side: provider\n  parameters: {disabled: true}\n",
      { weight: 100, enabled: true },
    ],
    [
      "an application document for another application",
      "configVersion: v2.7\nscope: application\nkey: other\nconfigs:\n- side: provider\n  parameters: {weight: 9}\n",
      { weight: 100, enabled: true },
    ],
    [
      "an application document naming other services",
      "configVersion: v2.7\nscope: application\nkey: demo\nconfigs:\n- side: provider\n  services: [com.foo.Other]\n  parameters: {weight: 9}\n",
      { weight: 100, enabled: true },
    ],
    [
      "an application document naming this service",
      "configVersion: v2.7\nscope: application\nkey: demo\nconfigs:\n- side: provider\n  services: [com.foo.BarService]\n  parameters: {weight: 9}\n",
      { weight: 9, enabled: true },
    ],
    [
      "providerAddresses choose the providers",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- side: provider\n  providerAddresses: ['10.0.0.2:20880']\n  parameters: {weight: 9}\n",
      { weight: 100, enabled: true },
    ],
    [
      "the items' applications choose the providers' application",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- side: provider\n  applications: [demo]\n  parameters: {weight: 9}\n",
      { weight: 9, enabled: true },
    ],
    [
      "disabled: false re-enables a provider registered as disabled",
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- type: weight\n  enabled: true\n  addresses: ['10.0.0.1:20880']\n  side: provider\n  parameters: {disabled: false}\n",
      { weight: 100, enabled: true },
    ],
  ])("%s", (_, text, expected) => {
    const registeredDisabled = _.startsWith("disabled: false");
    expect(effective(doc(text), provider(registeredDisabled ? { enabled: false } : {}))).toEqual(expected);
  });

  test("Meshdeck's own item is marked, so the listing can keep it apart from what the provider registered", () => {
    const read = rulesFromDocument(
      "configVersion: v2.7\nscope: service\nkey: com.foo.BarService\nconfigs:\n- type: meshdeck\n  enabled: true\n  addresses: ['10.0.0.1:20880']\n  side: provider\n  parameters: {weight: 9}\n- side: provider\n  addresses: ['0.0.0.0']\n  parameters: {weight: 7}\n",
    );
    if ("skipped" in read) throw new Error(read.skipped);
    expect(read.rules.map((rule) => [rule.weight, rule.meshdeck ?? false])).toEqual([
      [9, true],
      [7, false],
    ]);
  });

  test("the JSON-array form holds override URLs", () => {
    expect(effective(doc(JSON.stringify(["override://10.0.0.1:20880/com.foo.BarService?weight=12"])))).toEqual({ weight: 12, enabled: true });
  });

  test.each([
    ["not YAML", "key: [unclosed", "not YAML"],
    ["a scalar", "just text", "not a configurator document"],
    ["no key", "scope: service\nconfigs: []\n", "no key"],
    ["no configs", "scope: service\nkey: com.foo.BarService\n", "no configs"],
    ["an item without parameters", "scope: service\nkey: com.foo.BarService\nconfigs:\n- side: provider\n  addresses: [0.0.0.0]\n", "no parameters"],
  ])("skips a document that is %s", (_, text, reason) => {
    expect(rulesFromDocument(text)).toEqual({ skipped: expect.stringContaining(reason) });
  });
});
