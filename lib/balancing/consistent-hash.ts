import { buildRing, keyHash, ringIndex, type HashRing } from "./hash-ring";
import { PoolBalancer } from "./pool-balancer";
import type { BalancedInstance, PickContext } from "./types";

const EMPTY_RING: HashRing = { points: new Uint32Array(0), owners: new Uint32Array(0) };

/**
 * A hash ring with points in proportion to weight (see hash-ring.ts): the same key goes to the same instance while it
 * stays, and when one of n instances leaves only its keys, about 1/n of them, move. A pick hashes the key once and
 * binary-searches the ring; without a key it takes a random point, so keyless traffic still follows the ring's shares.
 * A ring rather than Maglev, whose table also moves some keys between instances that stay, or jump hash, which numbers
 * its buckets so that only the last one can leave.
 */
export class ConsistentHashBalancer<T extends BalancedInstance> extends PoolBalancer<T> {
  readonly policy = "consistent-hash";
  private ring = EMPTY_RING;

  protected override rebuilt(): void {
    this.ring = this.items.length === 0 ? EMPTY_RING : buildRing(this.items);
  }

  pick(context?: PickContext): T | undefined {
    const { points, owners } = this.ring;
    const size = points.length;
    if (size === 0) return undefined;
    const key = context?.key;
    let k = ringIndex(points, key === undefined ? Math.floor(this.random() * 2 ** 32) : keyHash(key));
    const exclude = context?.exclude;
    if (exclude !== undefined && exclude.size > 0) {
      if (!this.anyLeft(exclude)) return undefined;
      // Clockwise to the first instance not tried: where the key would go if the tried ones left the ring.
      while (exclude.has(this.ids[owners[k]!]!)) k = k + 1 < size ? k + 1 : 0;
    }
    return this.items[owners[k]!];
  }

  private anyLeft(exclude: ReadonlySet<string>): boolean {
    for (const id of this.ids) if (!exclude.has(id)) return true;
    return false;
  }
}
