import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { createBalancer } from "./create-balancer";
import { BALANCING_POLICIES, ZBalancingPolicy, ZHashKey } from "./policies";

type Backend = { id: string; weight: number; address: string };

function backends(weights: readonly number[], port = 8080): Backend[] {
  return weights.map((weight, i) => ({ id: `instance-${i}`, weight, address: `10.0.0.${i}:${port}` }));
}

describe.each(BALANCING_POLICIES)("createBalancer(%j)", (policy) => {
  const make = () => createBalancer<Backend>(policy, { random: seededRandom(90) });

  test("picks nothing before update(), from an empty list, or when every weight is 0", () => {
    const balancer = make();
    expect(balancer.pick({ key: "k" })).toBeUndefined();
    balancer.update([]);
    expect(balancer.pick()).toBeUndefined();
    balancer.update(backends([0, 0]));
    expect([balancer.size, balancer.pick(), balancer.pick({ key: "k" })]).toEqual([0, undefined, undefined]);
  });

  test("never picks weight 0, and returns the caller's own objects", () => {
    const balancer = make();
    const list = backends([0, 100, 0, 300, 0]);
    balancer.update(list);
    expect(balancer.size).toBe(2);
    for (let k = 0; k < 200; k++) {
      const picked = balancer.pick({ key: `k${k}` })!;
      expect([list[1], list[3]]).toContain(picked);
    }
  });

  test("an update with the same ids and weights hands out the new objects", () => {
    const balancer = make();
    balancer.update(backends([100, 100]));
    const moved = backends([100, 100], 9090);
    balancer.update(moved);
    for (let k = 0; k < 20; k++) expect(moved).toContain(balancer.pick({ key: `k${k}` }));
  });

  test("a retry never returns an instance tried, and nothing when all were", () => {
    const balancer = make();
    balancer.update(backends([100, 200, 300]));
    for (let k = 0; k < 50; k++) {
      const first = balancer.pick({ key: `k${k}` })!;
      const retry = balancer.pick({ key: `k${k}`, exclude: new Set([first.id]) })!;
      expect(retry.id).not.toBe(first.id);
    }
    const all = new Set(["instance-0", "instance-1", "instance-2"]);
    expect(balancer.pick({ key: "k", exclude: all })).toBeUndefined();
  });

  test("refuses a bad weight or a repeated id, and keeps the instances it had", () => {
    const balancer = make();
    balancer.update(backends([100]));
    expect(() => balancer.update(backends([100, 20_000]))).toThrow(RangeError);
    expect(() => balancer.update([...backends([100]), ...backends([50])])).toThrow(RangeError);
    expect(balancer.pick()!.id).toBe("instance-0");
    expect(balancer.policy).toBe(policy);
  });
});

describe("policy names", () => {
  test.each(BALANCING_POLICIES)("%s parses", (policy) => {
    expect(ZBalancingPolicy.parse(policy)).toBe(policy);
  });

  test.each(["least_conn", "Round-Robin", "", "ip-hash"])("%j is refused with the names that are allowed", (name) => {
    const result = ZBalancingPolicy.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("must be one of round-robin, weighted-round-robin, random, least-connections, p2c, consistent-hash");
  });

  test("a hash key header is lower-cased, and must be a header name", () => {
    expect(ZHashKey.parse({ header: "X-User-Id" })).toEqual({ header: "x-user-id" });
    expect(ZHashKey.safeParse({ header: "x user" }).success).toBe(false);
    expect(ZHashKey.safeParse({ header: "" }).success).toBe(false);
  });
});
