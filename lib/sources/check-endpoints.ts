import "server-only";
import { resolveChecked } from "@/lib/net/policy-lookup";
import { parseAddress } from "./decode";

/**
 * Resolves every endpoint's host and checks its addresses against the address policy, each time an adapter
 * connects or writes; throws AddressRefusedError for a refused one. The etcd and ZooKeeper clients resolve names
 * again themselves and take no lookup, which leaves a short window, but they speak gRPC and ZooKeeper's protocol,
 * not HTTP, and only an admin sets endpoints.
 */
export async function checkEndpoints(endpoints: string[]): Promise<void> {
  await Promise.all(
    endpoints.map(async (endpoint) => {
      const address = parseAddress(endpoint);
      if (!address) throw new Error(`endpoint '${endpoint}' is not host:port`);
      await resolveChecked(address.host);
    }),
  );
}
