import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";
import { cumulativeWeights, drawIndex, drawIndexExcluding } from "./weighted-draw";

/** Weighted random: each pick is instance i with probability weight_i / total, by binary search of the running totals. */
export class RandomBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "random";
  private cumulative: Float64Array = new Float64Array(0);

  protected override rebuilt(): void {
    this.cumulative = cumulativeWeights(this.weights);
  }

  pick(context?: PickContext): T | undefined {
    if (this.items.length === 0) return undefined;
    const exclude = context?.exclude;
    if (exclude !== undefined && exclude.size > 0) {
      const i = drawIndexExcluding(this.ids, this.weights, exclude, -1, this.random);
      return i < 0 ? undefined : this.items[i];
    }
    return this.items[drawIndex(this.cumulative, this.random() * this.totalWeight)];
  }
}
