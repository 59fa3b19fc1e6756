import { describe, expect, test } from "vitest";
import { parseXml, toXml } from "./xml";

describe("parseXml", () => {
  test("reads attributes as @name and text as $, every value as text", () => {
    expect(parseXml(`<instance><port enabled="true">8080</port><note>a &lt;b&gt; &amp; c</note></instance>`)).toEqual({
      instance: { port: { $: "8080", "@enabled": "true" }, note: "a <b> & c" },
    });
  });

  test.each([
    ["a DTD with an entity (billion laughs)", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><instance><app>&a;</app></instance>`, "DOCTYPE"],
    ["an external entity", `<!DOCTYPE x SYSTEM "file:///etc/passwd"><instance/>`, "DOCTYPE"],
    ["unclosed tags", `<instance><app>A</app>`, "not well-formed"],
    ["text that is not XML", `{"instance": {}}`, "not well-formed"],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseXml(text)).toThrow(message);
  });

  test("refuses nesting deeper than any registration needs", () => {
    expect(() => parseXml(`${"<a>".repeat(200)}x${"</a>".repeat(200)}`)).toThrow();
  });
});

describe("toXml", () => {
  test("writes Eureka's JSON shape as its XML, escaped, without what XML cannot carry", () => {
    const xml = toXml({
      applications: {
        versions__delta: "3",
        application: [{ name: "ORDERS", instance: [{ port: { $: 8080, "@enabled": "true" }, metadata: { note: "<&>\u0001", "bad key": "dropped" } }] }],
      },
    });
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><applications><versions__delta>3</versions__delta><application><name>ORDERS</name>` +
        `<instance><port enabled="true">8080</port><metadata><note>&lt;&amp;&gt;</note></metadata></instance></application></applications>`,
    );
  });

  test("reads back what it writes", () => {
    const document = { instance: { app: "ORDERS", port: { $: "8080", "@enabled": "true" }, metadata: { "@class": "java.util.Collections$EmptyMap" } } };
    expect(parseXml(toXml(document))).toMatchObject(document);
  });
});
