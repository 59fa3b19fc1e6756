// Not "server-only": the gateway, a plain Node process, connects through it too.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { addressRefusal, AddressRefusedError, allowedRanges, checkHost, refusalMessage } from "./address-policy";
import { parseHost, type TCidr } from "./ip-address";

/** Resolves a name to its addresses; the system resolver unless a test gives another. */
export type TResolve = (hostname: string, family: number) => Promise<LookupAddress[]>;

const systemResolve: TResolve = (hostname, family) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

// The addresses a name resolved to, if the policy lets every one of them through; a mixed answer is refused whole.
function checkResolved(hostname: string, addresses: LookupAddress[], allowed: TCidr[]): LookupAddress[] {
  const refusals = addresses.flatMap(({ address }) => {
    const parsed = parseHost(address);
    const refusal = parsed?.kind === "ip" ? addressRefusal(parsed.ip, allowed) : `${address}, which is not an IP address`;
    return refusal ? [refusal] : [];
  });
  if (addresses.length === 0) throw new AddressRefusedError(`${hostname} resolves to no address`);
  if (refusals.length > 0) throw new AddressRefusedError(refusalMessage(`${hostname} resolves to ${refusals.join(" and ")}`));
  return addresses;
}

/**
 * A `lookup` for net.connect and http.request: resolves when the connection is made, and fails it unless every
 * address the name resolves to passes the policy, so the address checked is the address connected to.
 */
export function policyLookup({ resolve = systemResolve, allowed }: { resolve?: TResolve; allowed?: TCidr[] } = {}): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family === 4 || options.family === 6 ? options.family : 0)
      .then((addresses) => checkResolved(hostname, addresses, allowed ?? allowedRanges()))
      .then(
        (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
        (error: NodeJS.ErrnoException) => callback(error, ""),
      );
  };
}

/**
 * Every address `host` stands for, each checked by the policy, for clients that cannot take a lookup: given these
 * addresses instead of the name, they cannot be sent elsewhere by a second answer. Throws AddressRefusedError.
 */
export async function resolveChecked(host: string, options: { resolve?: TResolve; allowed?: TCidr[] } = {}): Promise<string[]> {
  const checked = checkHost(host, options.allowed);
  if (checked.kind === "ip") return [checked.address];
  const addresses = await (options.resolve ?? systemResolve)(checked.name, 0);
  return checkResolved(checked.name, addresses, options.allowed ?? allowedRanges()).map(({ address }) => address);
}

const lookup = policyLookup();

export type TConnectTarget = { host: string; lookup: LookupFunction };

/**
 * What to give net.connect / http.request for a host that came from outside: an IP literal checked now, in its
 * canonical spelling, or the name with a lookup that checks what it resolves to. Throws AddressRefusedError.
 */
export function connectTarget(host: string, options?: { resolve?: TResolve; allowed?: TCidr[] }): TConnectTarget {
  const checked = checkHost(host, options?.allowed);
  return { host: checked.kind === "ip" ? checked.address : checked.name, lookup: options ? policyLookup(options) : lookup };
}
