// IP addresses parsed the way a URL parser does (WHATWG), so every spelling of one address is the same bytes:
// 2852039166, 0251.0376.0251.0376, 0xa9fea9fe and 169.254.169.254; ::ffff:a9fe:a9fe and [0:0:0:0:0:ffff:a9fe:a9fe].
// No node: imports, so the registry's schemas (which reach the browser bundle too) can use it.

export type TIp = { family: 4 | 6; bytes: number[]; zone?: string };
export type THost = { kind: "ip"; ip: TIp } | { kind: "name"; name: string };
export type TCidr = { ip: TIp; prefix: number };

// A URL parser cannot say where a host ends if it holds these; such a text is no host at all.
const notInHost = /[/?#@\\\s]/;

function parseUrlHost(host: string): string | null {
  try {
    const url = new URL(`http://${host}/`);
    return url.username || url.password || url.port || url.pathname !== "/" || url.search || url.hash ? null : url.hostname;
  } catch {
    return null;
  }
}

// The parser serialises IPv6 canonically (lower-case hex pieces, one '::', no dotted tail), which is all this reads.
function ipv6Bytes(canonical: string): number[] {
  const [head = "", tail] = canonical.split("::");
  const pieces = (part: string) => (part ? part.split(":").map((piece) => Number.parseInt(piece, 16)) : []);
  const front = pieces(head);
  const back = tail === undefined ? [] : pieces(tail);
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((piece) => [piece >> 8, piece & 0xff]);
}

/** An IP literal in any spelling (brackets, zone id, upper case, decimal/octal/hex IPv4), a host name, or null for neither. */
export function parseHost(text: string): THost | null {
  let host = text.trim().toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "" || notInHost.test(host)) return null;
  if (host.includes(":")) {
    // A zone id (fe80::1%eth0, or %25eth0 as URLs write it) names an interface, not part of the address.
    const [address = "", zone] = host.split("%");
    const parsed = parseUrlHost(`[${address}]`);
    if (!parsed) return null;
    const ip: TIp = { family: 6, bytes: ipv6Bytes(parsed.slice(1, -1)) };
    const name = zone?.replace(/^25/, "");
    return { kind: "ip", ip: name ? { ...ip, zone: name } : ip };
  }
  const parsed = parseUrlHost(host);
  if (!parsed) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(parsed)) return { kind: "ip", ip: { family: 4, bytes: parsed.split(".").map(Number) } };
  return { kind: "name", name: parsed };
}

/** An IP address as net.connect takes it: dotted IPv4, compressed IPv6 with its zone. */
export function formatIp(ip: TIp): string {
  if (ip.family === 4) return ip.bytes.join(".");
  const pieces = Array.from({ length: 8 }, (_, i) => (((ip.bytes[2 * i] ?? 0) << 8) | (ip.bytes[2 * i + 1] ?? 0)).toString(16));
  // The longest run of two or more zero pieces becomes '::' (RFC 5952).
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (pieces[start + length] === "0") length++;
    if (length > best.length) best = { start, length };
  }
  const text = best.start < 0 ? pieces.join(":") : `${pieces.slice(0, best.start).join(":")}::${pieces.slice(best.start + best.length).join(":")}`;
  return ip.zone ? `${text}%${ip.zone}` : text;
}

/** `169.254.0.0/16`, `fe80::/10`, or one address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): TCidr | null {
  const [address = "", prefixText, extra] = text.trim().split("/");
  const parsed = parseHost(address);
  if (extra !== undefined || parsed?.kind !== "ip" || parsed.ip.zone) return null;
  const bits = parsed.ip.bytes.length * 8;
  if (prefixText === undefined) return { ip: parsed.ip, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null;
  return { ip: parsed.ip, prefix: Number(prefixText) };
}

export function formatCidr({ ip, prefix }: TCidr): string {
  return `${formatIp(ip)}/${prefix}`;
}

export function inCidr(ip: TIp, { ip: network, prefix }: TCidr): boolean {
  if (ip.family !== network.family) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = (0xff << (8 - Math.min(8, prefix - bit))) & 0xff;
    if (((ip.bytes[bit / 8] ?? 0) & mask) !== ((network.bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

const cidr = (text: string): TCidr => parseCidr(text)!;
// IPv6 prefixes whose last 32 bits are an IPv4 address a connection may end up at.
const embedding = [cidr("::ffff:0:0/96"), cidr("64:ff9b::/96"), cidr("::/96")];

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or IPv4-compatible (::a.b.c.d) one. */
export function embeddedIpv4(ip: TIp): TIp | null {
  if (ip.family !== 6 || !embedding.some((range) => inCidr(ip, range))) return null;
  const bytes = ip.bytes.slice(12);
  // ::/96 also holds :: and ::1, which are IPv6 addresses of their own, not 0.0.0.0 and 0.0.0.1.
  if (inCidr(ip, embedding[2]!) && bytes[0] === 0) return null;
  return { family: 4, bytes };
}
