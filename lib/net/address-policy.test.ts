import { describe, expect, test } from "vitest";
import { AddressRefusedError, checkHost, hostRefusal } from "./address-policy";
import { parseCidr, type TCidr } from "./ip-address";

const none: TCidr[] = [];
const allow = (...ranges: string[]) => ranges.map((range) => parseCidr(range)!);

// Every spelling of a refused address that a URL parser, a resolver or a socket would take as that address.
const refused: [string, RegExp][] = [
  ["169.254.169.254", /169\.254\.169\.254 is a link-local address \(cloud metadata/],
  ["169.254.0.1", /link-local/],
  ["169.254.255.255", /link-local/],
  ["[169.254.169.254]", /link-local/],
  ["169.254.169.254.", /link-local/],
  // decimal, octal, hex and short IPv4, as inet_aton and URLs read them
  ["2852039166", /169\.254\.169\.254 is a link-local/],
  ["0251.0376.0251.0376", /169\.254\.169\.254 is a link-local/],
  ["0xa9fea9fe", /169\.254\.169\.254 is a link-local/],
  ["0XA9FEA9FE", /169\.254\.169\.254 is a link-local/],
  ["0xa9.0xfe.0xa9.0xfe", /169\.254\.169\.254 is a link-local/],
  ["0251.254.0xa9.254", /169\.254\.169\.254 is a link-local/],
  ["169.254.43518", /169\.254\.169\.254 is a link-local/],
  ["169.16689662", /169\.254\.169\.254 is a link-local/],
  ["169%2e254%2e169%2e254", /169\.254\.169\.254 is a link-local/],
  // IPv4-mapped, in every IPv6 spelling
  ["::ffff:169.254.169.254", /::ffff:a9fe:a9fe is 169\.254\.169\.254, a link-local/],
  ["::ffff:a9fe:a9fe", /::ffff:a9fe:a9fe is 169\.254\.169\.254/],
  ["[::ffff:a9fe:a9fe]", /::ffff:a9fe:a9fe is 169\.254\.169\.254/],
  ["::FFFF:A9FE:A9FE", /::ffff:a9fe:a9fe is 169\.254\.169\.254/],
  ["::ffff:a9fe:4d4d", /::ffff:a9fe:4d4d is 169\.254\.77\.77/],
  ["0:0:0:0:0:ffff:a9fe:4d4d", /169\.254\.77\.77/],
  ["0000:0000:0000:0000:0000:ffff:a9fe:a9fe", /169\.254\.169\.254/],
  ["[0:0:0:0:0:FFFF:169.254.169.254]", /169\.254\.169\.254/],
  // IPv4-compatible (deprecated) and NAT64
  ["::169.254.169.254", /::a9fe:a9fe is 169\.254\.169\.254/],
  ["[::a9fe:a9fe]", /169\.254\.169\.254/],
  ["64:ff9b::169.254.169.254", /64:ff9b::a9fe:a9fe is 169\.254\.169\.254/],
  ["64:ff9b:0:0:0:0:a9fe:a9fe", /169\.254\.169\.254/],
  // the IPv6 metadata address, expanded, compressed, upper case, bracketed
  ["fd00:ec2::254", /fd00:ec2::254 is the cloud metadata address/],
  ["fd00:ec2:0:0:0:0:0:254", /fd00:ec2::254 is the cloud metadata address/],
  ["fd00:0ec2:0000:0000:0000:0000:0000:0254", /fd00:ec2::254 is the cloud metadata address/],
  ["FD00:EC2::254", /fd00:ec2::254 is the cloud metadata address/],
  ["[fd00:ec2::254]", /fd00:ec2::254 is the cloud metadata address/],
  ["fd00:ec2:0::0:254", /fd00:ec2::254 is the cloud metadata address/],
  // IPv6 link-local, with zone ids
  ["fe80::1", /fe80::1 is a link-local address/],
  ["FE80::1", /fe80::1 is a link-local address/],
  ["fe80::1%eth0", /fe80::1%eth0 is a link-local address/],
  ["[fe80::1%25eth0]", /fe80::1%eth0 is a link-local address/],
  ["febf:ffff::1", /link-local/],
  ["fe80:0:0:0:a9fe:a9fe:a9fe:a9fe", /link-local/],
  // unspecified
  ["0.0.0.0", /0\.0\.0\.0 is an unspecified address/],
  ["0", /0\.0\.0\.0 is an unspecified address/],
  ["0x0", /0\.0\.0\.0 is an unspecified address/],
  ["0.1.2.3", /unspecified/],
  ["::", /:: is an unspecified address/],
  ["[::]", /:: is an unspecified address/],
  ["0:0:0:0:0:0:0:0", /:: is an unspecified address/],
  ["::ffff:0.0.0.0", /::ffff:0:0 is 0\.0\.0\.0, an unspecified address/],
];

// Loopback and private ranges stay allowed: the demo fleet and tests run on 127.0.0.1.
const allowed: [string, string][] = [
  ["127.0.0.1", "127.0.0.1"],
  ["127.1", "127.0.0.1"],
  ["2130706433", "127.0.0.1"],
  ["::1", "::1"],
  ["[::1]", "::1"],
  ["0:0:0:0:0:0:0:1", "::1"],
  ["::ffff:127.0.0.1", "::ffff:7f00:1"],
  ["10.0.0.7", "10.0.0.7"],
  ["172.16.0.1", "172.16.0.1"],
  ["192.168.1.10", "192.168.1.10"],
  ["169.25.0.1", "169.25.0.1"],
  ["169.255.0.1", "169.255.0.1"],
  ["168.254.169.254", "168.254.169.254"],
  ["fd00:ec2::253", "fd00:ec2::253"],
  ["fd12:3456::1", "fd12:3456::1"],
  ["fe7f::1", "fe7f::1"],
  ["fec0::1", "fec0::1"],
  ["2001:db8::1", "2001:db8::1"],
  ["64:ff9b::10.0.0.1", "64:ff9b::a00:1"],
];

describe("checkHost", () => {
  test.each(refused)("refuses %s", (host, why) => {
    expect(() => checkHost(host, none)).toThrow(AddressRefusedError);
    expect(() => checkHost(host, none)).toThrow(why);
    expect(() => checkHost(host, none)).toThrow(/^refused by address policy: .*; MESHDECK_ALLOWED_ADDRESSES may allow it$/);
  });

  test.each(allowed)("allows %s, connected to as %s", (host, address) => {
    expect(checkHost(host, none)).toMatchObject({ kind: "ip", address });
  });

  // Names are checked when they are resolved, at connect time (policy-lookup.test.ts).
  test.each([
    ["localhost", "localhost"],
    ["Checkout-1.Internal", "checkout-1.internal"],
    ["metadata.google.internal", "metadata.google.internal"],
    ["a_b.example.", "a_b.example."],
  ])("leaves the name %s to its lookup", (host, name) => {
    expect(checkHost(host, none)).toEqual({ kind: "name", name });
  });

  test.each([
    "",
    "a b",
    "evil.example@169.254.169.254",
    "169.254.169.254/latest",
    "169.254.169.254#x",
    "1.2.3.256",
    "foo.123",
    "a:b",
    "169.254.169.254:80",
    "[fe80::1",
  ])("refuses %j, which is no host", (host) => {
    expect(() => checkHost(host, none)).toThrow(/is not a host name or an IP address/);
  });
});

describe("what an administrator allows", () => {
  test.each([
    { ranges: ["169.254.0.0/16"], host: "169.254.169.254", ok: true },
    { ranges: ["169.254.0.0/16"], host: "2852039166", ok: true },
    { ranges: ["169.254.0.0/16"], host: "::ffff:a9fe:a9fe", ok: true },
    { ranges: ["169.254.0.0/16"], host: "fd00:ec2::254", ok: false },
    { ranges: ["169.254.169.0/24"], host: "169.254.170.2", ok: false },
    { ranges: ["169.254.170.2"], host: "169.254.170.2", ok: true },
    { ranges: ["fd00:ec2::254"], host: "fd00:ec2:0:0:0:0:0:254", ok: true },
    { ranges: ["fd00:ec2::254/128"], host: "169.254.169.254", ok: false },
    { ranges: ["fe80::/10"], host: "fe80::1%eth0", ok: true },
    { ranges: ["::ffff:169.254.169.254/128"], host: "::ffff:169.254.169.254", ok: true },
    { ranges: ["::ffff:169.254.169.254/128"], host: "169.254.169.254", ok: false },
    { ranges: ["10.0.0.0/8"], host: "169.254.169.254", ok: false },
  ])("$ranges: $host is allowed: $ok", ({ ranges, host, ok }) => {
    expect(hostRefusal(host, allow(...ranges)) === null).toBe(ok);
  });
});

describe("hostRefusal, as registration says it", () => {
  test.each([
    ["169.254.169.254", /^refused by address policy: 169\.254\.169\.254 is a link-local address/],
    ["[::ffff:a9fe:a9fe]", /^refused by address policy: ::ffff:a9fe:a9fe is 169\.254\.169\.254/],
    ["a b", /^must be a host name or an IP address$/],
  ])("%s: %s", (host, message) => {
    expect(hostRefusal(host, none)).toMatch(message);
  });

  test.each(["127.0.0.1", "checkout.internal", "10.1.2.3", "::1"])("%s: none", (host) => {
    expect(hostRefusal(host, none)).toBeNull();
  });
});

describe("parseCidr", () => {
  test.each(["169.254.0.0/16", "169.254.169.254", "fd00:ec2::254", "fe80::/10", "::ffff:169.254.0.0/112", "0.0.0.0/0", "::/0"])("reads %s", (text) => {
    expect(parseCidr(text)).not.toBeNull();
  });

  test.each(["169.254.0.0/33", "fe80::/129", "169.254.0.0/16/1", "example.com", "fe80::1%eth0", "169.254.0.0/", "169.254.0.0/x", ""])("refuses %j", (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});
