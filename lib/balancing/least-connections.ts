import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";

/**
 * nginx's least_conn (src/http/modules/ngx_http_upstream_least_conn_module.c): the instance with the fewest in-flight
 * requests per unit of weight, compared as loads[i] * weights[j] < loads[j] * weights[i] so integers stay exact;
 * instances tied for fewest share by smooth weighted round-robin, so with no requests in flight it is exactly
 * weighted-round-robin.
 */
export class LeastConnectionsBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "least-connections";

  pick(context?: PickContext): T | undefined {
    const exclude = context?.exclude;
    const checkExclude = exclude !== undefined && exclude.size > 0;
    const { ids, weights, loads, currents } = this;
    const n = weights.length;
    let best = -1;
    let tied = false;
    for (let i = 0; i < n; i++) {
      if (checkExclude && exclude.has(ids[i]!)) continue;
      if (best < 0) best = i;
      else {
        const mine = loads[i]! * weights[best]!;
        const theirs = loads[best]! * weights[i]!;
        if (mine < theirs) {
          best = i;
          tied = false;
        } else if (mine === theirs) tied = true;
      }
    }
    if (best < 0) return undefined;
    if (!tied) return this.items[best];

    const bestLoad = loads[best]!;
    const bestWeight = weights[best]!;
    let chosen = best;
    let chosenCurrent = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let i = best; i < n; i++) {
      if (checkExclude && exclude.has(ids[i]!)) continue;
      if (loads[i]! * bestWeight !== bestLoad * weights[i]!) continue;
      const weight = weights[i]!;
      const current = currents[i]! + weight;
      currents[i] = current;
      total += weight;
      if (current > chosenCurrent) {
        chosen = i;
        chosenCurrent = current;
      }
    }
    currents[chosen] = chosenCurrent - total;
    return this.items[chosen];
  }
}
