import type { TBalancingPolicy, THashKey } from "./policies";
import type { BalancedInstance, Balancer, BalancerOptions, PickContext } from "./types";

export const MAX_WEIGHT = 10_000;

/**
 * What every policy shares: the pickable instances (weight above 0) in the caller's order, as parallel arrays that
 * pick() walks without allocating, with each id's smooth-WRR current weight and in-flight count carried across update().
 */
export abstract class PoolBalancer<T extends BalancedInstance> implements Balancer<T> {
  abstract readonly policy: TBalancingPolicy;
  readonly hashKey: THashKey | undefined;
  protected readonly random: () => number;
  protected items: T[] = [];
  protected ids: string[] = [];
  protected weights: number[] = [];
  protected currents: number[] = [];
  protected loads: number[] = [];
  protected totalWeight = 0;
  private indexById = new Map<string, number>();

  constructor(options: BalancerOptions) {
    this.hashKey = options.hashKey;
    this.random = options.random ?? Math.random;
  }

  get size(): number {
    return this.items.length;
  }

  update(instances: readonly T[]): void {
    if (this.refresh(instances)) return;
    checkInstances(instances);
    const items: T[] = [];
    for (const instance of instances) if (instance.weight > 0) items.push(instance);
    const n = items.length;
    const ids = items.map((instance) => instance.id);
    const weights = items.map((instance) => instance.weight);
    const currents = new Array<number>(n).fill(0);
    const loads = new Array<number>(n).fill(0);
    const indexById = new Map<string, number>();
    const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
    // A current weight is how far an instance is behind its share, in picks times the total weight: rescaled to the
    // new total it stays the same number of picks, where kept as is a drop from weights in thousands to weights in
    // ones would hand one instance thousands of picks in a row.
    const scale = this.totalWeight > 0 ? totalWeight / this.totalWeight : 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const old = this.indexById.get(id);
      if (old !== undefined) {
        currents[i] = Math.round(this.currents[old]! * scale);
        loads[i] = this.loads[old]!;
      }
      indexById.set(id, i);
    }
    this.items = items;
    this.ids = ids;
    this.weights = weights;
    this.currents = currents;
    this.loads = loads;
    this.indexById = indexById;
    this.totalWeight = totalWeight;
    this.rebuilt();
  }

  abstract pick(context?: PickContext): T | undefined;

  acquire(id: string): void {
    const i = this.indexById.get(id);
    if (i !== undefined) this.loads[i]!++;
  }

  release(id: string): void {
    const i = this.indexById.get(id);
    if (i !== undefined && this.loads[i]! > 0) this.loads[i]!--;
  }

  inFlight(id: string): number {
    const i = this.indexById.get(id);
    return i === undefined ? 0 : this.loads[i]!;
  }

  /** Called after the instances changed, for policies that derive tables from them. */
  protected rebuilt(): void {}

  /** The same pickable ids and weights in the same order: take the new objects and keep everything else. */
  private refresh(instances: readonly T[]): boolean {
    const n = this.items.length;
    let k = 0;
    for (const instance of instances) {
      if (instance.weight === 0) continue;
      if (k === n || this.ids[k] !== instance.id || this.weights[k] !== instance.weight) return false;
      this.items[k++] = instance;
    }
    return k === n;
  }
}

/** Throws a RangeError naming the first instance whose weight is not an integer in 0..10000, or whose id repeats. */
export function checkInstances(instances: readonly BalancedInstance[]): void {
  const seen = new Set<string>();
  for (const { id, weight } of instances) {
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw new RangeError(`instance ${id}: weight must be an integer between 0 and ${MAX_WEIGHT}, got ${weight}`);
    }
    if (seen.has(id)) throw new RangeError(`instance ${id} is given twice`);
    seen.add(id);
  }
}
