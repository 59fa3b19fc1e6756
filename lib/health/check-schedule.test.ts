import { describe, expect, test } from "vitest";
import { CheckSchedule } from "./check-schedule";

// A simulated clock: the schedule is asked at chosen times, never waited on.
function runTicks(schedule: CheckSchedule<number>, { from, tickMs, ticks }: { from: number; tickMs: number; ticks: number }) {
  const runs = new Map<number, number[]>();
  for (let tick = 0; tick < ticks; tick += 1) {
    const now = from + tick * tickMs;
    schedule.takeDue(now, (item) => runs.set(item, [...(runs.get(item) ?? []), now]));
  }
  return runs;
}

describe("CheckSchedule", () => {
  test("no drift over 10,000 ticks: each check runs once per interval, at its own phase, even when every tick is late", () => {
    const schedule = new CheckSchedule<number>();
    const phases = [0, 130, 499, 999];
    phases.forEach((phase, item) => schedule.add(item, { firstAt: phase, intervalMs: 1000 }));
    // Ticks every 7 ms: never on a due time, always a little late.
    const runs = runTicks(schedule, { from: 0, tickMs: 7, ticks: 10_000 });
    const end = 7 * 9_999;
    phases.forEach((phase, item) => {
      const times = runs.get(item)!;
      expect(times.length).toBe(Math.floor((end - phase) / 1000) + 1);
      // The k-th run is within one tick of phase + k intervals: lateness never accumulates.
      times.forEach((at, k) => expect(at - (phase + k * 1000)).toBeLessThan(7));
    });
  });

  test.each([
    { checks: 1000, intervalMs: 1000, tickMs: 10 },
    { checks: 250, intervalMs: 3000, tickMs: 1 },
  ])("fairness: $checks checks due together all run, in the order due, each equally often", ({ checks, intervalMs, tickMs }) => {
    const schedule = new CheckSchedule<number>();
    for (let item = 0; item < checks; item += 1) schedule.add(item, { firstAt: 0, intervalMs });
    const order: number[] = [];
    schedule.takeDue(0, (item) => order.push(item));
    expect(schedule.nextDueAt()).toBe(intervalMs);
    expect(order).toEqual(Array.from({ length: checks }, (_, i) => i));
    const runs = runTicks(schedule, { from: intervalMs, tickMs, ticks: 10_000 });
    const counts = new Set([...runs.values()].map((times) => times.length));
    expect(runs.size).toBe(checks);
    expect([...counts]).toEqual([Math.floor((9_999 * tickMs) / intervalMs) + 1]);
  });

  test("a loop late by several intervals runs each check once, then keeps its phase", () => {
    const schedule = new CheckSchedule<string>();
    schedule.add("a", { firstAt: 100, intervalMs: 1000 });
    const runs: [string, number][] = [];
    schedule.takeDue(5_250, (item) => runs.push([item, 5_250]));
    expect(runs).toEqual([["a", 5_250]]);
    expect(schedule.nextDueAt()).toBe(6_100);
  });

  test("removed checks stop running; the others keep their turns", () => {
    const schedule = new CheckSchedule<number>();
    const handles = Array.from({ length: 50 }, (_, item) => schedule.add(item, { firstAt: item * 20, intervalMs: 1000 }));
    handles.filter((_, item) => item % 3 === 0).forEach((handle) => schedule.remove(handle));
    schedule.remove(handles[0]!);
    expect(schedule.size).toBe(33);
    const runs = runTicks(schedule, { from: 0, tickMs: 5, ticks: 2000 });
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 3 !== 0));
    for (const times of runs.values()) expect(times.length).toBe(10);
  });
});
