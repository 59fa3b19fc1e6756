import { createBalancer, type Balancer } from "@/lib/balancing";
import type { TDiscoveryCatalog } from "@/lib/registry/schemas";

/** An instance as the gateway sends to it; the balancer hands out these very objects. */
export type TUpstream = { readonly id: string; readonly weight: number; readonly host: string; readonly port: number };

/**
 * Each service's balancer, fed with the catalog the gateway follows. A service that stays keeps its balancer, updated
 * in place, so in-flight counts (least-connections, p2c) and smooth-WRR state carry across changes; a new policy or
 * hash header gets a new balancer, and requests still in flight release on the one that picked them.
 */
export class RoutingTable {
  /** The catalog index of the last answer applied; 0 before the first. */
  index = 0;
  private readonly routes = new Map<string, Balancer<TUpstream>>();
  private readonly skip: string | undefined;
  private readonly onRejected: (service: string, error: Error) => void;

  constructor({ skip, onRejected = () => {} }: { skip?: string; onRejected?: (service: string, error: Error) => void } = {}) {
    this.skip = skip;
    this.onRejected = onRejected;
  }

  get size(): number {
    return this.routes.size;
  }

  get(service: string): Balancer<TUpstream> | undefined {
    return this.routes.get(service);
  }

  /** Takes a whole catalog answer: services in it are routed as it says, services not in it are dropped. */
  apply({ index, services }: TDiscoveryCatalog): void {
    const seen = new Set<string>();
    for (const { service, policy, hashHeader, instances } of services) {
      if (service === this.skip) continue;
      seen.add(service);
      const header = policy === "consistent-hash" && hashHeader ? hashHeader.toLowerCase() : undefined;
      const upstreams = instances.map(({ id, weight, host, port }): TUpstream => ({ id, weight, host, port }));
      const current = this.routes.get(service);
      try {
        if (current && current.policy === policy && current.hashKey?.header === header) {
          current.update(upstreams);
          continue;
        }
        const balancer = createBalancer<TUpstream>(policy, header ? { hashKey: { header } } : {});
        balancer.update(upstreams);
        this.routes.set(service, balancer);
      } catch (error) {
        // A weight out of range or an id given twice: the service keeps the instances it had.
        this.onRejected(service, error as Error);
      }
    }
    for (const service of this.routes.keys()) if (!seen.has(service)) this.routes.delete(service);
    this.index = index;
  }
}
