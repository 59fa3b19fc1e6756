import { parseAddress } from "./decode";
import { keyPattern } from "./etcd/key-pattern";
import type { TSourceKind } from "./types";

// Two sources reading the same keys list every instance twice: one of the same kind with a shared endpoint and one
// prefix inside the other is refused.

type TReach = { kind: TSourceKind; endpoints: string[]; prefix: string };

/** `host:port`, lowercased and without a scheme, so `http://Etcd:2379` and `etcd:2379` are one endpoint. */
const endpointOf = (text: string) => {
  const address = parseAddress(text);
  return address ? `${address.host.toLowerCase()}:${address.port}` : text.toLowerCase();
};

const slashes = (text: string) => text.split("/").length - 1;

/** etcd: nested ranges; a pattern matches keys of a fixed depth, so it meets only prefixes and patterns it can reach. */
function etcdOverlap(a: string, b: string): boolean {
  const [ra, rb] = [keyPattern(a).range, keyPattern(b).range];
  if (!ra.startsWith(rb) && !rb.startsWith(ra)) return false;
  const [pa, pb] = [a.includes("*"), b.includes("*")];
  if (pa && pb) return slashes(a) === slashes(b);
  if (pa) return slashes(a) >= slashes(b);
  if (pb) return slashes(b) >= slashes(a);
  return true;
}

/** ZooKeeper: one path at or below the other. */
function zookeeperOverlap(a: string, b: string): boolean {
  const [na, nb] = [a.replace(/\/+$/, "") || "/", b.replace(/\/+$/, "") || "/"];
  const inside = (outer: string, inner: string) => outer === "/" || inner === outer || inner.startsWith(`${outer}/`);
  return inside(na, nb) || inside(nb, na);
}

export function sourcesOverlap(a: TReach, b: TReach): boolean {
  if (a.kind !== b.kind) return false;
  const shared = new Set(a.endpoints.map(endpointOf));
  if (!b.endpoints.some((endpoint) => shared.has(endpointOf(endpoint)))) return false;
  return a.kind === "etcd" ? etcdOverlap(a.prefix, b.prefix) : zookeeperOverlap(a.prefix, b.prefix);
}
