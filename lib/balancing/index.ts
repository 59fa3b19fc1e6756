// The load-balancing algorithms, shared by the gateway (picks) and the UI's preview (expectedShares).
export { createBalancer } from "./create-balancer";
export { expectedShares } from "./expected-shares";
export { MAX_WEIGHT } from "./pool-balancer";
export { BALANCING_POLICIES, ZBalancingPolicy, ZHashKey, type TBalancingPolicy, type THashKey } from "./policies";
export type { BalancedInstance, Balancer, BalancerOptions, PickContext } from "./types";
