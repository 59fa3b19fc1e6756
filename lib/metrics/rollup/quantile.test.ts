import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { bucketsFromSamples, histogramQuantile } from "./quantile";
import { mergeBuckets } from "../signals";
import type { TBuckets, TSample } from "../types";

const inf = Number.POSITIVE_INFINITY;

// The histograms of Prometheus's promql/testdata/histograms.test at 50m (counts are 10x the per-step increase).
const positive: TBuckets = [
  [0.1, 50],
  [0.2, 70],
  [1, 110],
  [inf, 120],
];
const negative: TBuckets = [
  [-0.2, 10],
  [-0.1, 20],
  [0.3, 20],
  [inf, 30],
];
const nonMonotonic: TBuckets = [
  [0.1, 10],
  [1, 5],
  [10, 25],
  [100, 20],
  [1000, 45],
  [inf, 40],
];

describe("histogramQuantile, as Prometheus's histograms.test expects", () => {
  test.each<[string, number, TBuckets, number]>([
    ["q < 0 is -Inf", -0.1, positive, -inf],
    ["q > 1 is +Inf", 1.01, negative, inf],
    ["q = 0 in a positive lowest bucket starts at 0", 0, positive, 0],
    ["q = 0 in a lowest bucket at or below 0 is its bound", 0, negative, -0.2],
    ["q = 1 in the highest finite bucket", 1, positive, 1],
    ["q = 1 reaching only +Inf is the second highest bound", 1, negative, 0.3],
    ["0.2, positive", 0.2, positive, 0.048],
    ["0.2, negative", 0.2, negative, -0.2],
    ["0.5, positive", 0.5, positive, 0.15],
    ["0.5, negative", 0.5, negative, -0.15],
    ["0.8, positive", 0.8, positive, 0.72],
    ["0.8, negative (the +Inf bucket)", 0.8, negative, 0.3],
    [
      "aggregated 0.3",
      0.3,
      [
        [0.1, 10],
        [0.2, 19],
        [inf, 25],
      ],
      0.075,
    ],
    [
      "aggregated 0.5",
      0.5,
      [
        [0.1, 10],
        [0.2, 19],
        [inf, 25],
      ],
      0.1277777777777778,
    ],
    [
      "job1/ins1 0.3",
      0.3,
      [
        [0.1, 1],
        [0.2, 3],
        [inf, 4],
      ],
      0.11,
    ],
    [
      "job2/ins2 0.5",
      0.5,
      [
        [0.1, 4],
        [0.2, 7],
        [inf, 9],
      ],
      0.11666666666666667,
    ],
    ["non-monotonic 0.01", 0.01, nonMonotonic, 0.0045],
    ["non-monotonic 0.5 (counts raised to the envelope)", 0.5, nonMonotonic, 8.5],
    ["non-monotonic 0.99", 0.99, nonMonotonic, 979.75],
  ])("%s", (_name, q, buckets, expected) => {
    expect(histogramQuantile(q, buckets)).toBeCloseTo(expected, 12);
  });
});

describe("histogramQuantile special cases", () => {
  test.each<[string, number, TBuckets, number]>([
    ["NaN q", Number.NaN, positive, Number.NaN],
    ["no buckets", 0.5, [], Number.NaN],
    ["only the +Inf bucket", 0.5, [[inf, 10]], Number.NaN],
    [
      "no +Inf bucket",
      0.5,
      [
        [0.1, 1],
        [1, 2],
      ],
      Number.NaN,
    ],
    [
      "zero observations",
      0.5,
      [
        [0.1, 0],
        [1, 0],
        [inf, 0],
      ],
      Number.NaN,
    ],
    [
      "q = 0 with an empty lowest bucket divides 0 by 0",
      0,
      [
        [0.1, 0],
        [1, 4],
        [inf, 4],
      ],
      Number.NaN,
    ],
    [
      "everything in +Inf",
      0.5,
      [
        [0.1, 0],
        [1, 0],
        [inf, 7],
      ],
      1,
    ],
    [
      "everything in the first bucket",
      0.99,
      [
        [0.1, 7],
        [1, 7],
        [inf, 7],
      ],
      0.099,
    ],
    [
      "one finite bucket",
      0.5,
      [
        [0.25, 4],
        [inf, 4],
      ],
      0.125,
    ],
    [
      'equal bounds add up (le="1" and le="1.0" are two series)',
      0.5,
      [
        [0.5, 1],
        [1, 2],
        [1, 2],
        [inf, 4],
      ],
      0.5 + 0.5 * (1 / 3),
    ],
    [
      "equal bounds collapsing to +Inf alone",
      0.5,
      [
        [inf, 1],
        [inf, 2],
      ],
      Number.NaN,
    ],
    [
      "unsorted input is sorted",
      0.5,
      [
        [inf, 120],
        [1, 110],
        [0.1, 50],
        [0.2, 70],
      ],
      0.15,
    ],
    [
      "rank falls exactly on a bound",
      0.5,
      [
        [1, 5],
        [2, 10],
        [inf, 10],
      ],
      1,
    ],
    [
      "fractional counts (rates)",
      0.9,
      [
        [0.1, 0.5],
        [0.5, 1.5],
        [inf, 2],
      ],
      0.5,
    ],
  ])("%s", (_name, q, buckets, expected) => {
    const value = histogramQuantile(q, buckets);
    if (Number.isFinite(expected)) expect(value).toBeCloseTo(expected, 12);
    else expect(value).toBe(expected);
  });

  test("the input is not changed, and more buckets than the scratch space hold work", () => {
    const buckets: TBuckets = Array.from({ length: 300 }, (_, i) => [i + 1, i % 2 === 0 ? i : i - 5] as [number, number]);
    buckets.push([inf, 300]);
    const copy = structuredClone(buckets);
    // Odd buckets dip by 5 and are raised to the even bucket below: the rank 150 falls in (150, 151].
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(151, 12);
    expect(buckets).toEqual(copy);
    expect(histogramQuantile(0.5, positive)).toBeCloseTo(0.15, 12);
  });

  function randomHistogram(next: () => number): TBuckets {
    const buckets: TBuckets = [];
    let le = next() * 0.01;
    let count = 0;
    const size = 1 + Math.floor(next() * 12);
    for (let i = 0; i < size; i++) {
      count += Math.floor(next() * 20);
      buckets.push([le, count]);
      le *= 1.5 + next() * 3;
    }
    buckets.push([inf, count + Math.floor(next() * 5)]);
    return buckets;
  }

  test("properties: never decreasing in q, within [0, second highest bound], q=1 at most the second highest bound", () => {
    const next = seededRandom(7);
    for (let n = 0; n < 2000; n++) {
      const buckets = randomHistogram(next);
      const total = buckets.at(-1)![1];
      let previous = -inf;
      for (let q = 0.01; q <= 1; q += 0.01) {
        const value = histogramQuantile(q, buckets);
        if (total === 0) {
          expect(value).toBeNaN();
          continue;
        }
        expect(value).toBeGreaterThanOrEqual(previous - 1e-12);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(buckets.at(-2)![0]);
        previous = value;
      }
    }
  });
});

describe("quantiles of merged buckets", () => {
  test("merging instances with the same bounds gives Prometheus's sum by (le) quantile", () => {
    const ins1: TBuckets = [
      [0.1, 1],
      [0.2, 3],
      [inf, 4],
    ];
    const ins2: TBuckets = [
      [0.1, 2],
      [0.2, 5],
      [inf, 6],
    ];
    const ins3: TBuckets = [
      [0.1, 3],
      [0.2, 4],
      [inf, 6],
    ];
    const ins4: TBuckets = [
      [0.1, 4],
      [0.2, 7],
      [inf, 9],
    ];
    const merged = [ins2, ins3, ins4].reduce(mergeBuckets, ins1);
    expect(histogramQuantile(0.3, merged)).toBeCloseTo(0.075, 12);
    expect(histogramQuantile(0.5, merged)).toBeCloseTo(0.1277777777777778, 12);
  });
});

describe("bucketsFromSamples", () => {
  const bucket = (le: string | undefined, value: number): TSample => ({ name: "x_bucket", labels: le === undefined ? {} : { le }, value });
  test.each<[string, TSample[], TBuckets]>([
    [
      "sorted by bound, +Inf last",
      [bucket("+Inf", 3), bucket("0.5", 1), bucket("1.0", 2)],
      [
        [0.5, 1],
        [1, 2],
        [inf, 3],
      ],
    ],
    [
      "samples without a usable le are skipped",
      [bucket(undefined, 9), bucket("fast", 9), bucket("1e-1", 1), bucket("+Inf", 2)],
      [
        [0.1, 1],
        [inf, 2],
      ],
    ],
    ["no samples", [], []],
  ])("%s", (_name, samples, expected) => {
    expect(bucketsFromSamples(samples)).toEqual(expected);
  });
});
