/** A cached answer: its index and its JSON text, UTF-8 encoded once (not again for each client it is sent to). */
type TEntry = { index: number; json: Buffer };

/**
 * The newest answer of each key (a service, the catalog), bounded in entries and bytes, least recently used out
 * first: an answer for an index passed is replaced, not kept beside the new one. Concurrent requests for an index
 * not yet cached share one read: the first makes it, the others wait for it.
 */
export class JsonCache {
  private readonly entries = new Map<string, TEntry>();
  private readonly reading = new Map<string, Promise<TEntry>>();
  private bytes = 0;

  constructor(private readonly limits: { maxEntries: number; maxBytes: number }) {}

  /** The answer of `key` at `index` or later; `read` makes it when the cached one is older. */
  async get(key: string, index: number, read: () => Promise<TEntry>): Promise<TEntry> {
    const cached = this.entries.get(key);
    if (cached && cached.index >= index) {
      // Map order is insertion order: moved to the end, it is the most recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const readKey = `${key} ${index}`;
    const pending = this.reading.get(readKey);
    if (pending) return pending;
    const reading = read().finally(() => this.reading.delete(readKey));
    this.reading.set(readKey, reading);
    const entry = await reading;
    this.put(key, entry);
    return entry;
  }

  get size() {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private put(key: string, entry: TEntry) {
    // An answer larger than the whole budget is served but not kept.
    if (entry.json.length > this.limits.maxBytes) return;
    const previous = this.entries.get(key);
    // A slow read of an older index does not replace a newer answer.
    if (previous && previous.index > entry.index) return;
    if (previous) this.bytes -= previous.json.length;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.json.length;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.json.length;
    }
  }
}
