import { describe, expect, test } from "vitest";
import { parseCidr } from "@/lib/net/ip-address";
import { resolveClientAddress, throttleAddress } from "./client-address";

const cidrs = (...texts: string[]) => texts.map((text) => parseCidr(text)!);

describe("the client address", () => {
  test.each([
    // No trusted proxy: the socket's peer, whatever X-Forwarded-For says.
    ["203.0.113.9", "1.2.3.4", [], "203.0.113.9"],
    ["203.0.113.9", null, [], "203.0.113.9"],
    ["::ffff:203.0.113.9", "1.2.3.4", [], "203.0.113.9"],
    ["::FFFF:cb00:7109", "1.2.3.4", [], "203.0.113.9"],
    ["2001:DB8:0:0:0:0:0:1", "1.2.3.4", [], "2001:db8::1"],
    // A peer that is not among the trusted proxies is the client, even with a forged header naming a trusted one.
    ["203.0.113.9", "10.0.0.1", ["10.0.0.0/8"], "203.0.113.9"],
    // Through a trusted proxy: the rightmost address that is not a trusted hop.
    ["10.0.0.1", "198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"],
    ["::ffff:10.0.0.1", "1.1.1.1, 198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"],
    ["10.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.2", ["10.0.0.0/8"], "198.51.100.7"],
    ["fd00::1", "2001:db8::7", ["fd00::/8"], "2001:db8::7"],
    ["10.0.0.1", "::ffff:198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"],
    // Every hop trusted: the leftmost is as far as can be known.
    ["10.0.0.1", "10.0.0.3, 10.0.0.2", ["10.0.0.0/8"], "10.0.0.3"],
    // No header, or garbage appended by no proxy of ours: the last trusted hop.
    ["10.0.0.1", null, ["10.0.0.0/8"], "10.0.0.1"],
    ["10.0.0.1", "198.51.100.7, not-an-address", ["10.0.0.0/8"], "10.0.0.1"],
    [null, "1.2.3.4", [], "unknown"],
  ] as const)("peer %s, X-Forwarded-For %s, trusting %j: %s", (peer, forwardedFor, trusted, expected) => {
    expect(resolveClientAddress({ peer, forwardedFor, trusted: cidrs(...trusted) })).toBe(expected);
  });

  test.each([
    ["203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"],
    ["unknown", "unknown"],
  ])("the throttle counts %s as %s", (address, expected) => {
    expect(throttleAddress(address)).toBe(expected);
  });
});
