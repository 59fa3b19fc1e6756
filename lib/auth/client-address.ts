import { formatIp, inCidr, parseCidr, parseHost, type TCidr, type TIp } from "@/lib/net/ip-address";

// server.mjs sets this header to the socket's peer address on every request it hands to Next.js, after deleting any a
// client sent: route handlers and server actions do not see the socket.
export const clientAddressHeader = "x-meshdeck-client-address";

const mapped = parseCidr("::ffff:0:0/96")!;

/** An address as one client is known by: ::ffff:10.0.0.7 (a dual-stack socket's spelling) is 10.0.0.7. */
function parseAddress(text: string): TIp | null {
  const parsed = parseHost(text);
  if (parsed?.kind !== "ip") return null;
  const { zone: _zone, ...ip } = parsed.ip;
  return inCidr(ip, mapped) ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

const trustedBy = (trusted: TCidr[]) => (ip: TIp) => trusted.some((range) => inCidr(ip, range));

/**
 * The address of the client a request came from. The socket's peer unless it is a trusted proxy; then
 * X-Forwarded-For is read from the right, skipping trusted hops, and the first other address is the client.
 * A client can write anything into X-Forwarded-For, but only the entries its trusted proxies appended are read.
 */
export function resolveClientAddress({ peer, forwardedFor, trusted }: { peer: string | null; forwardedFor: string | null; trusted: TCidr[] }): string {
  const peerIp = peer ? parseAddress(peer) : null;
  if (!peerIp) return "unknown";
  const isTrusted = trustedBy(trusted);
  if (!isTrusted(peerIp)) return formatIp(peerIp);
  let client = peerIp;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean)
    .reverse();
  for (const hop of hops) {
    const ip = parseAddress(hop);
    // Not an address: no proxy of ours wrote it, so the last trusted hop is all that is known.
    if (!ip) break;
    client = ip;
    if (!isTrusted(ip)) break;
  }
  return formatIp(client);
}

/**
 * What the sign-in throttle counts a client as: its address, or its /64 for IPv6, since one host commonly holds a
 * whole /64 and could otherwise try each of its addresses in turn.
 */
export function throttleAddress(address: string): string {
  const ip = parseAddress(address);
  if (!ip) return address;
  if (ip.family === 4) return formatIp(ip);
  return `${formatIp({ family: 6, bytes: [...ip.bytes.slice(0, 8), ...Array<number>(8).fill(0)] })}/64`;
}
