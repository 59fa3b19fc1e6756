// The last value of each counter series of one target, to turn successive scrapes into increases.
import { Buffer } from "node:buffer";

/**
 * `next` is this scrape's value, made the last one (`value`) only once the whole scrape is read. A series read from
 * a scrape's bytes keeps them in its target's arena (`offset`, `length`), chained with the others of its hash.
 */
type TSeries = { key: string; offset: number; length: number; chain: TSeries | null; value: number; next: number; scrape: number };

function hashOf(bytes: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (hash * 31 + bytes[i]!) | 0;
  return hash;
}

/**
 * Call `begin`, then `increase` (or `increaseAt`) for each series in the order the scrape lists them, then `end`.
 * A target lists its series in the same order every time, so the series expected at each position
 * is tried first and the map is only searched when the listing changed. A scrape that fails before
 * `end` (its body did not parse) changes no last value: the next scrape's increases cover both.
 */
export class CounterIncreases {
  /** Series by key (`increase`), and by the hash of their bytes (`increaseAt`): one target uses one or the other. */
  private readonly series = new Map<string, TSeries>();
  private readonly byHash = new Map<number, TSeries>();
  private count = 0;
  /** The bytes of the series read from bytes, one after the other: no string or buffer object per series. */
  private arena = Buffer.alloc(0);
  private used = 0;
  private live = 0;
  /** The series in the order the last scrape listed them. */
  private readonly order: TSeries[] = [];
  private position = 0;
  private scrape = 0;
  /** Series seen in this scrape; fewer than are kept means some disappeared. */
  private touched = 0;

  begin(): void {
    this.scrape++;
    this.position = 0;
    this.touched = 0;
  }

  /** Keeps this scrape's values, and forgets the series it did not list, so label churn does not grow memory. */
  end(): void {
    for (let k = 0; k < this.position; k++) {
      const series = this.order[k]!;
      series.value = series.next;
    }
    if (this.touched < this.count) this.forgetUntouched();
    this.order.length = this.position;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Prometheus's rate semantics: a drop is a counter reset, so the increase is the new value.
   * Unlike rate, a series first seen after the baseline counts in full: clients create a labelled
   * series on its first observation, so it stood at zero at the previous scrape (the same holds
   * for a restarted instance, whose series reset). A NaN or infinite value adds nothing and keeps
   * the last good value as the baseline.
   */
  increase(key: string, value: number): number {
    const expected = this.order[this.position];
    let series = expected?.key === key ? expected : this.series.get(key);
    if (!series) {
      if (!Number.isFinite(value)) return 0;
      series = this.create(key, 0, 0);
      this.series.set(key, series);
    }
    return this.step(series, value);
  }

  /** `increase` for the series whose key is written in bytes[start, end), compared in place, natively. */
  increaseAt(bytes: Buffer, start: number, end: number, value: number): number {
    const expected = this.order[this.position];
    if (expected && this.isAt(expected, bytes, start, end)) return this.step(expected, value);
    const hash = hashOf(bytes, start, end);
    let series = this.byHash.get(hash) ?? null;
    while (series && !this.isAt(series, bytes, start, end)) series = series.chain;
    if (!series) {
      if (!Number.isFinite(value)) return 0;
      series = this.create("", this.keep(bytes, start, end), end - start);
      series.chain = this.byHash.get(hash) ?? null;
      this.byHash.set(hash, series);
    }
    return this.step(series, value);
  }

  private isAt(series: TSeries, bytes: Buffer, start: number, end: number): boolean {
    return series.length === end - start && bytes.compare(this.arena, series.offset, series.offset + series.length, start, end) === 0;
  }

  private create(key: string, offset: number, length: number): TSeries {
    this.count++;
    // Its last value counts as 0 until the scrape is kept.
    return { key, offset, length, chain: null, value: 0, next: 0, scrape: this.scrape - 1 };
  }

  private step(series: TSeries, value: number): number {
    this.order[this.position++] = series;
    if (series.scrape !== this.scrape) {
      this.touched++;
      series.scrape = this.scrape;
      series.next = series.value;
    }
    if (!Number.isFinite(value)) return 0;
    const last = series.next;
    series.next = value;
    return value < last ? Math.max(value, 0) : value - last;
  }

  /** Copies a new series' bytes into the arena, which grows by doubling and drops forgotten bytes when it does. */
  private keep(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    if (this.used + length > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(256, 2 * (this.live + length)));
      let used = 0;
      for (const head of this.byHash.values()) {
        for (let series: TSeries | null = head; series; series = series.chain) {
          this.arena.copy(grown, used, series.offset, series.offset + series.length);
          series.offset = used;
          used += series.length;
        }
      }
      [this.arena, this.used] = [grown, used];
    }
    bytes.copy(this.arena, this.used, start, end);
    this.used += length;
    this.live += length;
    return this.used - length;
  }

  private forgetUntouched() {
    for (const [key, series] of this.series) {
      if (series.scrape === this.scrape) continue;
      this.series.delete(key);
      this.count--;
    }
    for (const [hash, head] of this.byHash) {
      let kept: TSeries | null = null;
      for (let series: TSeries | null = head; series;) {
        const next: TSeries | null = series.chain;
        if (series.scrape === this.scrape) {
          series.chain = kept;
          kept = series;
        } else {
          this.count--;
          this.live -= series.length;
        }
        series = next;
      }
      if (kept) this.byHash.set(hash, kept);
      else this.byHash.delete(hash);
    }
  }
}
