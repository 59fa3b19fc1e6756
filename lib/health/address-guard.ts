import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { db } from "@/lib/db";

// A check must not become a way to read cloud metadata (169.254.169.254, fd00:ec2::254) with the
// collector's credentials: link-local targets are refused unless an administrator allows them.
export const allowLinkLocalKey = "checks.allow_link_local";

export function isLinkLocalAddress(address: string): boolean {
  const ip = address.toLowerCase().replace(/^::ffff:/, "");
  if (isIP(ip) === 4) return ip.startsWith("169.254.");
  if (isIP(ip) !== 6) return false;
  return ip === "fd00:ec2::254" || /^fe[89ab][0-9a-f]:/.test(ip);
}

export class ForbiddenAddressError extends Error {
  constructor(address: string) {
    super(`refused: ${address} is a link-local or cloud metadata address (an administrator may allow these in settings)`);
  }
}

type TLookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request and net.connect that refuses link-local answers. */
export function guardedLookup({ allowLinkLocal }: { allowLinkLocal: boolean }) {
  return (hostname: string, options: LookupOptions, callback: TLookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const allowed = allowLinkLocal ? addresses : addresses.filter((entry) => !isLinkLocalAddress(entry.address));
      const first = allowed[0];
      if (!first) return callback(new ForbiddenAddressError(`${hostname} (${addresses.map((a) => a.address).join(", ")})`), "");
      if (options.all) return callback(null, allowed);
      callback(null, first.address, first.family);
    });
  };
}

/** Throws for a literal link-local address (a lookup is not made for those). */
export function assertAllowedHost({ host, allowLinkLocal }: { host: string; allowLinkLocal: boolean }) {
  const bare = host.replace(/^\[|\]$/g, "");
  if (!allowLinkLocal && isIP(bare) && isLinkLocalAddress(bare)) throw new ForbiddenAddressError(bare);
}

// An admin's change is seen within this long; the collector asks for it before every probe.
const settingCacheMs = 5000;
let cached: { value: boolean; readAt: number } | undefined;

/** After an admin's change, so this process (and the settings page) sees it at once. */
export function forgetAllowLinkLocal() {
  cached = undefined;
}

export async function getAllowLinkLocal(): Promise<boolean> {
  if (cached && Date.now() - cached.readAt < settingCacheMs) return cached.value;
  const row = await db.setting.findUnique({ where: { key: allowLinkLocalKey }, select: { value: true } });
  cached = { value: row?.value === "true", readAt: Date.now() };
  return cached.value;
}
