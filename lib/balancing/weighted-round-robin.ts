import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";

/**
 * Smooth weighted round-robin, as nginx's ngx_http_upstream_get_peer (src/http/ngx_http_upstream_round_robin.c):
 * every pick adds each instance's weight to its current weight, takes the highest (the first on a tie) and takes the
 * total back from it. From all-zero current weights, every cycle of total-weight picks gives each instance exactly its
 * weight, interleaved ({a:5, b:1, c:1} gives a a b a c a a).
 *
 * Excluded instances sit the pick out as nginx's tried peers do: neither their weight nor the total moves, so the
 * current weights keep summing to the same value. update() carries the current weights of ids that stay (rescaled
 * to the new total) rather than zeroing them as an nginx reload does: shares stay right however often the instances
 * change, where zeroing would favour the first instances whenever updates come faster than a cycle. The sum may then
 * differ from 0, which changes no pick: every current weight moves by the same amounts.
 */
export class WeightedRoundRobinBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "weighted-round-robin";

  pick(context?: PickContext): T | undefined {
    const exclude = context?.exclude;
    const checkExclude = exclude !== undefined && exclude.size > 0;
    const { ids, weights, currents } = this;
    let best = -1;
    let bestCurrent = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      if (checkExclude && exclude.has(ids[i]!)) continue;
      const weight = weights[i]!;
      const current = currents[i]! + weight;
      currents[i] = current;
      total += weight;
      if (current > bestCurrent) {
        best = i;
        bestCurrent = current;
      }
    }
    if (best < 0) return undefined;
    currents[best] = bestCurrent - total;
    return this.items[best];
  }
}
