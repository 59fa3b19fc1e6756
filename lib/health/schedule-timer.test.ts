import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ScheduleTimer } from "./schedule-timer";

// Fake timers and clock: the schedule's wake-ups are counted, never waited for.
beforeEach(() => void vi.useFakeTimers({ now: 0 }));
afterEach(() => void vi.useRealTimers());

describe("ScheduleTimer", () => {
  test("1,000 items spread over the interval: each runs once an interval at its due time, on at most one wake-up a slot", () => {
    const runs = new Map<number, number[]>();
    const wakeUps = new Set<number>();
    const timer = new ScheduleTimer<number>({
      slotMs: 100,
      run: (item, dueAt) => {
        wakeUps.add(Date.now());
        runs.set(item, [...(runs.get(item) ?? []), dueAt]);
        // Never later than due, and early by less than a slot.
        expect(dueAt - Date.now()).toBeGreaterThanOrEqual(0);
        expect(dueAt - Date.now()).toBeLessThanOrEqual(100);
      },
    });
    for (let item = 0; item < 1000; item += 1) timer.add(item, { firstAt: 1 + item * 10, intervalMs: 10_000 });
    vi.advanceTimersByTime(100_000);
    expect(runs.size).toBe(1000);
    runs.forEach((dues, item) => {
      const firstAt = 1 + item * 10;
      // Every due time from the first, none skipped or repeated; the last one may have been taken a slot early.
      expect(dues).toEqual(Array.from({ length: dues.length }, (_, k) => firstAt + k * 10_000));
      expect(dues.length - Math.floor((100_000 - firstAt) / 10_000) - 1).toBeOneOf([0, 1]);
    });
    // 100 s in slots of 100 ms: a wake-up a slot at most, where a timer a run would be 10,000.
    expect(wakeUps.size).toBeLessThanOrEqual(1000);
    timer.stop();
  });

  test("a removed item runs no more; after stop nothing runs", () => {
    const runs: string[] = [];
    const timer = new ScheduleTimer<string>({ slotMs: 10, run: (item) => runs.push(item) });
    const a = timer.add("a", { firstAt: 100, intervalMs: 1000 });
    timer.add("b", { firstAt: 500, intervalMs: 1000 });
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(["a", "b"]);
    timer.remove(a);
    expect(timer.size).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(["a", "b", "b"]);
    timer.stop();
    timer.add("c", { firstAt: 2100, intervalMs: 1000 });
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual(["a", "b", "b"]);
  });
});
