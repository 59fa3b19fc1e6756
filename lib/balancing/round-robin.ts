import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";

/** Every pickable instance in turn, whatever its weight (weight 0 is still never picked). */
export class RoundRobinBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "round-robin";
  private next = 0;

  pick(context?: PickContext): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const exclude = context?.exclude;
    let i = this.next < n ? this.next : 0;
    if (exclude !== undefined && exclude.size > 0) {
      let left = n;
      while (exclude.has(this.ids[i]!)) {
        if (--left === 0) return undefined;
        i = i + 1 < n ? i + 1 : 0;
      }
    }
    this.next = i + 1;
    return this.items[i];
  }
}
