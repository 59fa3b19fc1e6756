import { describe, expect, test } from "vitest";
import { decodeDubboProvider, dubboInstanceId } from "./dubbo";

const node = (url: string) => encodeURIComponent(url);
const base = "dubbo://192.168.1.5:20880/com.foo.BarService?anyhost=true&application=demo&interface=com.foo.BarService&methods=sayHello&side=provider";

describe("decodeDubboProvider", () => {
  test("decodes the provider URL node name a Dubbo provider registers", () => {
    const name =
      "dubbo%3A%2F%2F192.168.1.5%3A20880%2Fcom.foo.BarService%3Fanyhost%3Dtrue%26application%3Ddemo%26interface%3Dcom.foo.BarService%26methods%3DsayHello%26side%3Dprovider%26weight%3D100";
    expect(decodeDubboProvider(name, "com.foo.BarService")).toEqual({
      instance: {
        instanceId: "com.foo.BarService:192.168.1.5:20880",
        service: "com.foo.BarService",
        host: "192.168.1.5",
        port: 20880,
        weight: 100,
        enabled: true,
        tags: [],
        metadata: { protocol: "dubbo", anyhost: "true", application: "demo", interface: "com.foo.BarService", methods: "sayHello", side: "provider" },
      },
    });
  });

  test.each([
    ["no weight: Dubbo's default", base, { weight: 100, enabled: true }],
    ["a weight", `${base}&weight=250`, { weight: 250, enabled: true }],
    ["Dubbo 2.6's default.weight", `${base}&default.weight=40`, { weight: 40, enabled: true }],
    ["a weight above Meshdeck's range is clamped", `${base}&weight=20000`, { weight: 10000, enabled: true }],
    ["a weight that is not a number reads as the default", `${base}&weight=heavy`, { weight: 100, enabled: true }],
    ["enabled=false", `${base}&enabled=false`, { weight: 100, enabled: false }],
    ["disabled=true", `${base}&disabled=true`, { weight: 100, enabled: false }],
    ["disabled=false wins over enabled=false", `${base}&disabled=false&enabled=false`, { weight: 100, enabled: true }],
    ["weight 0", `${base}&weight=0`, { weight: 0, enabled: true }],
  ])("%s", (_, url, expected) => {
    const decoded = decodeDubboProvider(node(url));
    expect("instance" in decoded && { weight: decoded.instance.weight, enabled: decoded.instance.enabled }).toEqual(expected);
  });

  test("group and version go in the id and the metadata; the tag in tags; weight and flags not in the metadata", () => {
    const decoded = decodeDubboProvider(
      node(`tri://10.0.0.7:50051/com.foo.BarService?interface=com.foo.BarService&group=blue&version=1.2.0&dubbo.tag=canary&weight=5&enabled=true`),
    );
    expect(decoded).toMatchObject({
      instance: {
        instanceId: "com.foo.BarService:10.0.0.7:50051:blue:1.2.0",
        tags: ["canary"],
        metadata: { protocol: "tri", group: "blue", version: "1.2.0", interface: "com.foo.BarService" },
      },
    });
    expect("instance" in decoded && Object.keys(decoded.instance.metadata)).not.toContain("weight");
    expect("instance" in decoded && Object.keys(decoded.instance.metadata)).not.toContain("dubbo.tag");
  });

  test("the interface comes from the path when the URL has no interface parameter; a version alone is kept in the id", () => {
    expect(decodeDubboProvider(node("dubbo://10.0.0.1:20880/com.foo.Plain?version=2&application=a"))).toMatchObject({
      instance: { service: "com.foo.Plain", instanceId: "com.foo.Plain:10.0.0.1:20880::2" },
    });
  });

  test("an IPv6 provider", () => {
    expect(decodeDubboProvider(node("dubbo://[2001:db8::1]:20880/com.foo.V6?interface=com.foo.V6"))).toMatchObject({
      instance: { host: "2001:db8::1", port: 20880, instanceId: "com.foo.V6:2001:db8::1:20880" },
    });
  });

  test("an over-long metadata value is left out with a warning, the rest kept", () => {
    const decoded = decodeDubboProvider(node(`${base}&methods=${"m".repeat(600)}`));
    if (!("instance" in decoded)) throw new Error("did not decode");
    expect(decoded.instance.metadata.methods).toBeUndefined();
    expect(decoded.instance.metadata.protocol).toBe("dubbo");
    expect(decoded.warning).toContain("left out: methods");
  });

  test.each([
    ["bad percent-encoding", "dubbo%3A%2F%2F%E0%A4%A", "not valid URL encoding"],
    ["not a URL", node("just some text"), "is not a Dubbo URL"],
    ["no port", node("dubbo://10.0.0.1/com.foo.BarService?interface=com.foo.BarService"), "has no port"],
    ["port out of range", node("dubbo://10.0.0.1:70000/com.foo.BarService"), "has no port"],
    ["an inner-class interface Meshdeck cannot name", node("dubbo://10.0.0.1:20880/com.foo.Outer$Inner"), "has characters Meshdeck does not take"],
    ["a host with a space", node("dubbo://bad host:20880/com.foo.BarService"), "is not a host name"],
    [
      "a link-local provider",
      node("dubbo://[fe80::1]:20880/com.foo.BarService"),
      "host 'fe80::1' is refused by address policy: fe80::1 is a link-local address",
    ],
    [
      "a provider at the metadata address",
      node("dubbo://169.254.169.254:80/com.foo.BarService"),
      "is refused by address policy: 169.254.169.254 is a link-local",
    ],
    ["under another interface's providers", node(base), "not com.foo.Other"],
  ])("skips %s", (_, name, reason) => {
    const decoded = decodeDubboProvider(name, _.startsWith("under") ? "com.foo.Other" : undefined);
    expect(decoded).toEqual({ skipped: expect.stringContaining(reason) });
  });
});

describe("dubboInstanceId", () => {
  test("a long interface name is shortened to its last segment and a hash, within 128 characters", () => {
    const name = `com.${"verylongpackage.".repeat(8)}TheService`;
    const id = dubboInstanceId({ interface: name, host: "10.0.0.1", port: 20880 });
    expect(id).toMatch(/^TheService-[0-9a-f]{8}:10\.0\.0\.1:20880$/);
    expect(dubboInstanceId({ interface: name, host: "10.0.0.1", port: 20880 })).toBe(id);
    expect(dubboInstanceId({ interface: `${name}2`, host: "10.0.0.1", port: 20880 })).not.toBe(id);
  });
});
