import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { addSignals, addSignalsInPlace, emptySignals, mergeBuckets } from "./signals";
import type { TBuckets, TSignals } from "./types";

const inf = Number.POSITIVE_INFINITY;

describe("mergeBuckets", () => {
  test.each([
    [
      "the same bounds add up",
      [
        [0.1, 1],
        [1, 3],
        [inf, 4],
      ],
      [
        [0.1, 2],
        [1, 2],
        [inf, 5],
      ],
      [
        [0.1, 3],
        [1, 5],
        [inf, 9],
      ],
    ],
    [
      "differing bounds: a side missing a bound gives its count at its largest bound below",
      [
        [0.1, 1],
        [0.5, 3],
        [inf, 4],
      ],
      [
        [0.25, 2],
        [inf, 5],
      ],
      [
        [0.1, 1],
        [0.25, 3],
        [0.5, 5],
        [inf, 9],
      ],
    ],
    [
      "a side with no bound below gives 0",
      [
        [1, 5],
        [inf, 5],
      ],
      [
        [0.005, 1],
        [inf, 2],
      ],
      [
        [0.005, 1],
        [1, 6],
        [inf, 7],
      ],
    ],
    [
      "an empty side",
      [],
      [
        [0.1, 1],
        [inf, 2],
      ],
      [
        [0.1, 1],
        [inf, 2],
      ],
    ],
    ["both empty", [], [], []],
    [
      "a side without +Inf gives its last count there",
      [
        [0.1, 1],
        [1, 2],
      ],
      [
        [0.1, 1],
        [inf, 3],
      ],
      [
        [0.1, 2],
        [1, 3],
        [inf, 5],
      ],
    ],
  ] as [string, TBuckets, TBuckets, TBuckets][])("%s", (_name, a, b, expected) => {
    expect(mergeBuckets(a, b)).toEqual(expected);
    expect(mergeBuckets(b, a)).toEqual(expected);
  });

  function randomBuckets(next: () => number): TBuckets {
    const layout = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].filter(() => next() < 0.5);
    let count = 0;
    return [...layout, inf].map((le) => [le, (count += Math.floor(next() * 10))]);
  }

  test.each(Array.from({ length: 50 }, (_, seed) => [seed]))("properties hold for random layouts (seed %i)", (seed) => {
    const next = seededRandom(seed + 1);
    const a = randomBuckets(next);
    const b = randomBuckets(next);
    const merged = mergeBuckets(a, b);
    const bounds = merged.map(([le]) => le);
    expect(bounds).toEqual([...new Set([...a, ...b].map(([le]) => le))].sort((x, y) => x - y));
    // Cumulative, and exact at +Inf and at every bound both sides have.
    merged.forEach(([, count], i) => expect(count).toBeGreaterThanOrEqual(merged[i - 1]?.[1] ?? 0));
    expect(merged.at(-1)?.[1]).toBe((a.at(-1)?.[1] ?? 0) + (b.at(-1)?.[1] ?? 0));
    for (const [le, count] of a) {
      const other = b.find(([bound]) => bound === le);
      if (other) expect(merged.find(([bound]) => bound === le)?.[1]).toBe(count + other[1]);
    }
    expect(mergeBuckets(b, a)).toEqual(merged);
    expect(mergeBuckets(mergeBuckets(a, b), a)).toEqual(mergeBuckets(a, mergeBuckets(b, a)));
  });
});

describe("addSignals", () => {
  const histogram = (requests: number, errors: number, buckets: TBuckets): TSignals => ({ requests, errors, buckets, summary: null });
  const summary = (requests: number, p50: number | null, p95: number | null, p99: number | null): TSignals => ({
    requests,
    errors: 0,
    buckets: null,
    summary: { p50, p95, p99 },
  });

  test.each([
    [
      "counts add up and buckets merge",
      histogram(10, 1, [
        [0.1, 4],
        [inf, 10],
      ]),
      histogram(5, 2, [
        [0.5, 5],
        [inf, 5],
      ]),
      histogram(15, 3, [
        [0.1, 4],
        [0.5, 9],
        [inf, 15],
      ]),
    ],
    [
      "empty on the left is the identity",
      emptySignals(),
      histogram(5, 2, [
        [0.5, 5],
        [inf, 5],
      ]),
      histogram(5, 2, [
        [0.5, 5],
        [inf, 5],
      ]),
    ],
    ["empty on the right is the identity", summary(4, 10, 20, 30), emptySignals(), summary(4, 10, 20, 30)],
    ["summaries are weighted by requests", summary(30, 10, 20, 40), summary(10, 200, 400, 600), summary(40, 57.5, 115, 180)],
    ["a quantile one side lacks comes from the other", summary(30, 10, null, 40), summary(10, null, null, 600), summary(40, 10, null, 180)],
    ["summaries without requests weigh equally", summary(0, 10, 20, 30), summary(0, 30, 40, 50), summary(0, 20, 30, 40)],
    [
      "a histogram and a summary keep both",
      histogram(10, 0, [[inf, 10]]),
      summary(5, 1, 2, 3),
      { requests: 15, errors: 0, buckets: [[inf, 10]], summary: { p50: 1, p95: 2, p99: 3 } },
    ],
  ] as [string, TSignals, TSignals, TSignals][])("%s", (_name, a, b, expected) => {
    expect(addSignals(a, b)).toEqual(expected);
    expect(addSignals(b, a)).toEqual(expected);
  });

  test("never shares arrays or objects with its inputs", () => {
    const a = histogram(1, 0, [[inf, 1]]);
    const b = summary(1, 1, 2, 3);
    const sum = addSignals(a, b);
    expect(sum.buckets).not.toBe(a.buckets);
    expect(sum.summary).not.toBe(b.summary);
    expect(addSignals(emptySignals(), emptySignals())).toEqual(emptySignals());
  });
});

describe("addSignalsInPlace", () => {
  const histogram = (requests: number, counts: number[], bounds = [0.1, 1, inf]): TSignals => ({
    requests,
    errors: 1,
    buckets: bounds.map((le, i): [number, number] => [le, counts[i] ?? 0]),
    summary: null,
  });

  test("the same bounds: added in place, as addSignals would", () => {
    const a = histogram(4, [1, 3, 4]);
    const b = histogram(5, [2, 2, 5]);
    const expected = addSignals(a, b);
    expect(addSignalsInPlace(a, b)).toBe(true);
    expect(a).toEqual(expected);
    expect(b).toEqual(histogram(5, [2, 2, 5]));
  });

  test("counts only: added in place", () => {
    const a: TSignals = { requests: 3, errors: 1, buckets: null, summary: null };
    expect(addSignalsInPlace(a, { requests: 2, errors: 0, buckets: null, summary: null })).toBe(true);
    expect(a).toEqual({ requests: 5, errors: 1, buckets: null, summary: null });
  });

  test.each<[string, TSignals]>([
    ["other bounds", histogram(5, [2, 2, 5], [0.5, 1, inf])],
    ["fewer bounds", histogram(5, [2, 5], [0.1, inf])],
    ["no buckets on one side", { requests: 2, errors: 0, buckets: null, summary: null }],
    ["a summary", { requests: 2, errors: 0, buckets: null, summary: { p50: 1, p95: 2, p99: 3 } }],
  ])("%s: left to addSignals, nothing changed", (_name, b) => {
    const a = histogram(4, [1, 3, 4]);
    expect(addSignalsInPlace(a, b)).toBe(false);
    expect(a).toEqual(histogram(4, [1, 3, 4]));
  });
});
