// The last value of each counter series of one target, to turn successive scrapes into increases.

type TSeries = { key: string; value: number; scrape: number };

/**
 * Call `begin`, then `increase` for each series in the order the scrape lists them, then `end`.
 * A target lists its series in the same order every time, so the series expected at each position
 * is tried first and the map is only searched when the listing changed.
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

  /** Forgets the series this scrape did not list, so label churn does not grow memory. */
  end(): void {
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
    const finite = Number.isFinite(value);
    let series = this.order[this.position];
    if (series?.key !== key) {
      series = this.series.get(key);
      if (!series) {
        if (!finite) return 0;
        // A key sliced from a scrape's body would keep the whole body alive: a copy through a concatenation does not.
        const own = key.length < 13 ? key : (" " + key).slice(1);
        const created = { key: own, value, scrape: this.scrape };
        this.series.set(own, created);
        this.order[this.position++] = created;
        this.touched++;
        return Math.max(value, 0);
      }
      this.order[this.position] = series;
    }
    this.position++;
    if (series.scrape !== this.scrape) this.touched++;
    series.scrape = this.scrape;
    if (!finite) return 0;
    const last = series.value;
    series.value = value;
    return value < last ? Math.max(value, 0) : value - last;
  }
}
