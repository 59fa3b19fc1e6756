/**
 * Deadlines kept in slots of `slotMs`: a sweep looks only at the slots that came due, so holding 10,000 instances
 * costs nothing between their deadlines (no per-instance timers, no scan of them all). Keys are not removed when
 * their deadline moves: the owner remembers each key's current slot and ignores the stale entries `due` returns.
 */
export class TimingWheel<K> {
  private readonly slots = new Map<number, K[]>();
  // Keys whose deadline had passed when they were scheduled, in their own (swept) slots.
  private readonly late = new Map<number, K[]>();
  private swept: number;

  constructor(
    private readonly slotMs: number,
    now: number,
  ) {
    this.swept = Math.floor(now / slotMs) - 1;
  }

  /** Puts `key` in the slot of `at` and returns that slot; a slot already swept comes due at the next sweep. */
  schedule(key: K, at: number): number {
    const slot = Math.floor(at / this.slotMs);
    const slots = slot <= this.swept ? this.late : this.slots;
    const keys = slots.get(slot);
    if (keys) keys.push(key);
    else slots.set(slot, [key]);
    return slot;
  }

  /** Takes out the slots that came due by `now`, oldest first, as [slot, keys]. */
  due(now: number): [slot: number, keys: K[]][] {
    const last = Math.floor(now / this.slotMs);
    const taken: [number, K[]][] = [...this.late].sort(([a], [b]) => a - b);
    this.late.clear();
    // A long pause (a suspended laptop) jumps over empty slots instead of walking them one by one.
    if (last - this.swept > this.slots.size) {
      for (const slot of [...this.slots.keys()].sort((a, b) => a - b)) {
        if (slot > last) break;
        taken.push([slot, this.slots.get(slot)!]);
        this.slots.delete(slot);
      }
    } else {
      for (let slot = this.swept + 1; slot <= last; slot += 1) {
        const keys = this.slots.get(slot);
        if (!keys) continue;
        taken.push([slot, keys]);
        this.slots.delete(slot);
      }
    }
    this.swept = Math.max(this.swept, last);
    return taken;
  }

  get size(): number {
    let size = 0;
    for (const keys of this.late.values()) size += keys.length;
    for (const keys of this.slots.values()) size += keys.length;
    return size;
  }
}
