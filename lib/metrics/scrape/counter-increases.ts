// The last value of each counter series of one target, to turn successive scrapes into increases.
import { Buffer } from "node:buffer";

/**
 * `next` is this scrape's value, made the last one (`value`) only once the whole scrape is read. A series read from
 * a scrape's bytes keeps them (`bytes`), to be compared in place with the next scrape's, natively.
 */
type TSeries = { key: string; bytes: Buffer | null; value: number; next: number; scrape: number };

/**
 * Call `begin`, then `increase` for each series in the order the scrape lists them, then `end`.
 * A target lists its series in the same order every time, so the series expected at each position
 * is tried first and the map is only searched when the listing changed. A scrape that fails before
 * `end` (its body did not parse) changes no last value: the next scrape's increases cover both.
 */
export class CounterIncreases {
  private readonly series = new Map<string, TSeries>();
  /** The series in the order the last scrape listed them. */
  private readonly order: TSeries[] = [];
  private position = 0;
  private scrape = 0;
  /** Series seen in this scrape; fewer than the map holds means some disappeared. */
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
    if (this.touched < this.series.size) {
      for (const [key, series] of this.series) if (series.scrape !== this.scrape) this.series.delete(key);
    }
    this.order.length = this.position;
  }

  get size(): number {
    return this.series.size;
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
    return this.step(expected?.key === key ? expected : this.find(key), key, null, value);
  }

  /** `increase` for the series whose key is written in bytes[start, end), compared in place: no string for it. */
  increaseAt(bytes: Buffer, start: number, end: number, value: number): number {
    const expected = this.order[this.position]?.bytes;
    if (expected && expected.length === end - start && bytes.compare(expected, 0, expected.length, start, end) === 0)
      return this.step(this.order[this.position], "", null, value);
    const key = bytes.toString("latin1", start, end);
    return this.step(this.find(key), key, bytes.subarray(start, end), value);
  }

  private find(key: string): TSeries | undefined {
    const series = this.series.get(key);
    if (series) this.order[this.position] = series;
    return series;
  }

  /** `key` and `bytes` (copied if kept) make the series when it is new. */
  private step(found: TSeries | undefined, key: string, bytes: Buffer | null, value: number): number {
    const finite = Number.isFinite(value);
    let series = found;
    if (!series) {
      if (!finite) return 0;
      // Its last value counts as 0 until the scrape is kept.
      series = { key, bytes: bytes && Buffer.from(bytes), value: 0, next: value, scrape: this.scrape };
      this.series.set(key, series);
      this.order[this.position++] = series;
      this.touched++;
      return Math.max(value, 0);
    }
    this.position++;
    if (series.scrape !== this.scrape) {
      this.touched++;
      series.scrape = this.scrape;
      series.next = series.value;
    }
    if (!finite) return 0;
    const last = series.next;
    series.next = value;
    return value < last ? Math.max(value, 0) : value - last;
  }
}
