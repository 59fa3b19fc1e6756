import { describe, expect, test } from "vitest";
import { TimingWheel } from "./timing-wheel";

describe("TimingWheel", () => {
  test("hands out keys once their slot has come, oldest first, and each slot once", () => {
    const wheel = new TimingWheel<string>(100, 1_000);
    expect(wheel.schedule("late", 1_450)).toBe(14);
    expect(wheel.schedule("early", 1_120)).toBe(11);
    expect(wheel.schedule("also-early", 1_199)).toBe(11);
    expect(wheel.due(1_099)).toEqual([]);
    expect(wheel.due(1_100)).toEqual([[11, ["early", "also-early"]]]);
    expect(wheel.due(1_150)).toEqual([]);
    expect(wheel.size).toBe(1);
    expect(wheel.due(5_000)).toEqual([[14, ["late"]]]);
    expect(wheel.size).toBe(0);
  });

  test("a deadline already swept comes due at the very next sweep, in its own slot", () => {
    const wheel = new TimingWheel<string>(100, 1_000);
    wheel.due(2_000);
    expect(wheel.schedule("overdue", 500)).toBe(5);
    expect(wheel.schedule("just-swept", 2_050)).toBe(20);
    expect(wheel.size).toBe(2);
    expect(wheel.due(2_000)).toEqual([
      [5, ["overdue"]],
      [20, ["just-swept"]],
    ]);
    expect(wheel.due(2_100)).toEqual([]);
  });

  test("a long pause jumps to the slots that hold keys", () => {
    const wheel = new TimingWheel<number>(1, 0);
    for (let key = 0; key < 5; key += 1) wheel.schedule(key, key * 1_000_000);
    const due = wheel.due(3_000_000);
    expect(due.map(([slot]) => slot)).toEqual([0, 1_000_000, 2_000_000, 3_000_000]);
    expect(wheel.due(10_000_000)).toEqual([[4_000_000, [4]]]);
  });

  test.each([1, 7, 250])("every key comes due exactly once, at or after its deadline (slot %i ms)", (slotMs) => {
    const wheel = new TimingWheel<number>(slotMs, 0);
    const deadlines = Array.from({ length: 500 }, (_, key) => (key * 7919) % 10_000);
    deadlines.forEach((at, key) => wheel.schedule(key, at));
    const seen = new Map<number, number>();
    for (let now = 0; now <= 10_000; now += 37) {
      for (const [, keys] of wheel.due(now)) for (const key of keys) seen.set(key, now);
    }
    for (const [, keys] of wheel.due(20_000)) for (const key of keys) seen.set(key, 20_000);
    expect(seen.size).toBe(deadlines.length);
    for (const [key, at] of seen) {
      expect(at).toBeGreaterThanOrEqual(Math.floor(deadlines[key]! / slotMs) * slotMs);
      expect(at - deadlines[key]!).toBeLessThan(slotMs + 37);
    }
  });
});
