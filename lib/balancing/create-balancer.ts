import { ConsistentHashBalancer } from "./consistent-hash";
import { LeastConnectionsBalancer } from "./least-connections";
import { P2cBalancer } from "./p2c";
import type { TBalancingPolicy } from "./policies";
import { RandomBalancer } from "./random";
import { RoundRobinBalancer } from "./round-robin";
import type { BalancedInstance, Balancer, BalancerOptions } from "./types";
import { WeightedRoundRobinBalancer } from "./weighted-round-robin";

/** A balancer with no instances yet; give it some with update(). */
export function createBalancer<T extends BalancedInstance = BalancedInstance>(policy: TBalancingPolicy, options: BalancerOptions = {}): Balancer<T> {
  switch (policy) {
    case "round-robin":
      return new RoundRobinBalancer<T>(options);
    case "weighted-round-robin":
      return new WeightedRoundRobinBalancer<T>(options);
    case "random":
      return new RandomBalancer<T>(options);
    case "least-connections":
      return new LeastConnectionsBalancer<T>(options);
    case "p2c":
      return new P2cBalancer<T>(options);
    case "consistent-hash":
      return new ConsistentHashBalancer<T>(options);
    default:
      throw new RangeError(`unknown load-balancing policy ${String(policy satisfies never)}`);
  }
}
