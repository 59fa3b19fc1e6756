import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";
import { cumulativeWeights, drawIndex, drawIndexExcluding } from "./weighted-draw";

/**
 * Power of two choices: two distinct instances drawn at random in proportion to their weights, and the one with fewer
 * in-flight requests per unit of weight is picked. Dividing by weight keeps a heavy instance, which carries more
 * requests by design, from looking busy; on a tie the first draw wins, so under equal load the shares are the weights'.
 */
export class P2cBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "p2c";
  private cumulative: Float64Array = new Float64Array(0);

  protected override rebuilt(): void {
    this.cumulative = cumulativeWeights(this.weights);
  }

  pick(context?: PickContext): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const { ids, weights, loads, random } = this;
    const exclude = context?.exclude;
    let a: number;
    let b: number;
    if (exclude !== undefined && exclude.size > 0) {
      a = drawIndexExcluding(ids, weights, exclude, -1, random);
      if (a < 0) return undefined;
      b = drawIndexExcluding(ids, weights, exclude, a, random);
      if (b < 0) return this.items[a];
    } else {
      if (n === 1) return this.items[0];
      const total = this.totalWeight;
      a = drawIndex(this.cumulative, random() * total);
      // The second draw is over the total without a's weight, stepping over a's stretch of the running totals.
      const weightA = weights[a]!;
      let r = random() * (total - weightA);
      if (r >= this.cumulative[a]! - weightA) r += weightA;
      b = drawIndex(this.cumulative, r);
      if (b === a) return this.items[a];
    }
    return loads[b]! * weights[a]! < loads[a]! * weights[b]! ? this.items[b] : this.items[a];
  }
}
