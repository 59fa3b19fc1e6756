import type { TBalancingPolicy, THashKey } from "./policies";

/** What a balancer needs of an instance; callers pass richer objects (address, tags) and pick() returns the same object. */
export type BalancedInstance = { readonly id: string; readonly weight: number };

export type PickContext = {
  /** consistent-hash: the request's key (a header's value, a user id); without one the pick is a random point of the ring. Other policies ignore it. */
  readonly key?: string;
  /** Instances already tried for this request, so the gateway's retry goes to another one. */
  readonly exclude?: ReadonlySet<string>;
};

export type BalancerOptions = {
  /** consistent-hash: where the gateway reads the key; kept on the balancer, which hashes whatever key pick() is given. */
  readonly hashKey?: THashKey;
  /** A source of numbers in [0, 1); Math.random by default, a seeded generator in tests. */
  readonly random?: () => number;
};

export interface Balancer<T extends BalancedInstance = BalancedInstance> {
  readonly policy: TBalancingPolicy;
  readonly hashKey: THashKey | undefined;
  /** Instances that can be picked (weight above 0). */
  readonly size: number;
  /**
   * Replaces the instances. Weights must be integers in 0..10000 and ids unique (else RangeError); weight 0 is never
   * picked. State (smooth WRR weights, in-flight counts) is kept for ids that stay; the same ids and weights in the
   * same order cost one pass and no allocation.
   */
  update(instances: readonly T[]): void;
  /** The instance for the next request, or undefined when none is left (none given, or all excluded). No allocation. */
  pick(context?: PickContext): T | undefined;
  /** A request to this instance started; least-connections and p2c read the counts, every policy keeps them. */
  acquire(id: string): void;
  /** That request ended. Unknown ids (an instance removed meanwhile) are ignored; counts never go below 0. */
  release(id: string): void;
  inFlight(id: string): number;
}
