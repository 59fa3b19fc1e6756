import { z } from "zod";
import { getEnv } from "@/lib/env";
import { embeddedIpv4, formatIp, inCidr, parseCidr, parseHost, type TCidr, type TIp } from "./ip-address";

// The one address policy for every connection Meshdeck makes to an address that came from outside (the gateway,
// health checks, metrics scrapes, webhooks, sources): a registration must not make Meshdeck read cloud metadata
// (169.254.169.254, fd00:ec2::254) or reach link-local or unspecified addresses. MESHDECK_ALLOWED_ADDRESSES lets
// an administrator allow some. Loopback and private ranges stay allowed. Names are checked when they are resolved,
// at connect time (lib/net/policy-lookup.ts), so DNS rebinding cannot slip past.

const refused: { range: TCidr; what: string }[] = [
  { range: "169.254.0.0/16", what: "a link-local address (cloud metadata answers there)" },
  { range: "0.0.0.0/8", what: "an unspecified address" },
  { range: "::/128", what: "an unspecified address" },
  { range: "fe80::/10", what: "a link-local address" },
  { range: "fd00:ec2::254/128", what: "the cloud metadata address" },
].map(({ range, what }) => ({ range: parseCidr(range)!, what }));

export const allowSetting = "MESHDECK_ALLOWED_ADDRESSES";

/** Thrown, before any connection, for an address the policy refuses. */
export class AddressRefusedError extends Error {
  constructor(reason: string) {
    super(`refused by address policy: ${reason}`);
    this.name = "AddressRefusedError";
  }
}

/** The ranges an administrator allowed although the policy would refuse them. */
export function allowedRanges(): TCidr[] {
  return getEnv().MESHDECK_ALLOWED_ADDRESSES;
}

function refusedAs(ip: TIp, allowed: TCidr[]): string | null {
  if (allowed.some((range) => inCidr(ip, range))) return null;
  return refused.find(({ range }) => inCidr(ip, range))?.what ?? null;
}

/** Why the policy refuses this address (as "1.2.3.4 is ..."), or null when it may be reached. */
export function addressRefusal(ip: TIp, allowed: TCidr[] = allowedRanges()): string | null {
  const own = refusedAs(ip, allowed);
  if (own) return `${formatIp(ip)} is ${own}`;
  // ::ffff:169.254.169.254 reaches 169.254.169.254: an allowed IPv6 address allows the IPv4 one it holds too.
  const inner = embeddedIpv4(ip);
  const innerWhat = inner && !allowed.some((range) => inCidr(ip, range)) ? refusedAs(inner, allowed) : null;
  return innerWhat ? `${formatIp(ip)} is ${formatIp(inner!)}, ${innerWhat}` : null;
}

export type TPolicyHost = { kind: "ip"; ip: TIp; address: string } | { kind: "name"; name: string };

/** A refusal as it is told: what the address is, and the setting that may allow it. */
export function refusalMessage(refusal: string): string {
  return `${refusal}; ${allowSetting} may allow it`;
}

/**
 * The host as it is to be connected to: an IP literal in its one canonical spelling (whatever spelling it came in),
 * or a name to resolve through the policy's lookup. Throws AddressRefusedError for a refused address or a text
 * that is neither.
 */
export function checkHost(host: string, allowed: TCidr[] = allowedRanges()): TPolicyHost {
  const parsed = parseHost(host);
  if (!parsed) throw new AddressRefusedError(`'${host.slice(0, 100)}' is not a host name or an IP address`);
  if (parsed.kind === "name") return parsed;
  const refusal = addressRefusal(parsed.ip, allowed);
  if (refusal) throw new AddressRefusedError(refusalMessage(refusal));
  return { ...parsed, address: formatIp(parsed.ip) };
}

/** The policy's refusal of a host that is an IP literal, as it is told, or null (names are checked when resolved). */
export function literalRefusal(host: string, allowed: TCidr[] = allowedRanges()): string | null {
  const parsed = parseHost(host);
  const refusal = parsed?.kind === "ip" ? addressRefusal(parsed.ip, allowed) : null;
  return refusal && new AddressRefusedError(refusalMessage(refusal)).message;
}

/** Why a host may not be registered, as a field's message, or null; names are checked when they are resolved. */
export function hostRefusal(host: string, allowed: TCidr[] = allowedRanges()): string | null {
  return parseHost(host) ? literalRefusal(host, allowed) : "must be a host name or an IP address";
}

/**
 * A schema check for a field naming where Meshdeck will connect (an instance's host, a webhook or Prometheus URL, a
 * source endpoint): the policy's refusal becomes the field's message. `hostOf` finds the host; null leaves the
 * value to the field's other checks.
 */
export function policyHostCheck(hostOf: (value: string) => string | null = (value) => value) {
  return z.superRefine<string>((value, ctx) => {
    const host = hostOf(value);
    const refusal = host === null ? null : hostRefusal(host);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });
}

/** A URL's host, or null when the text is no URL. */
export function hostOfUrl(text: string): string | null {
  try {
    return new URL(text).hostname;
  } catch {
    return null;
  }
}
