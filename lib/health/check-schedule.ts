// When each of many periodic checks (health checks, metrics scrapes) is next due, on one timer instead of one per
// check: a min-heap by due time (ties in the order added, so none waits behind the others). No clock of its own: the
// caller says what time it is (`ScheduleTimer` is the clock).

type TEntry<T> = { item: T; dueAt: number; intervalMs: number; seq: number; at: number };

/** A place in the schedule, to take the check out again. */
export type TScheduled = { readonly __scheduled: true };

export class CheckSchedule<T> {
  private readonly heap: TEntry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Due first at `firstAt`, then every `intervalMs` from there. */
  add(item: T, { firstAt, intervalMs }: { firstAt: number; intervalMs: number }): TScheduled {
    const entry: TEntry<T> = { item, dueAt: firstAt, intervalMs: Math.max(1, intervalMs), seq: this.seq++, at: this.heap.length };
    this.heap.push(entry);
    this.up(entry.at);
    return entry as unknown as TScheduled;
  }

  remove(handle: TScheduled) {
    const entry = handle as unknown as TEntry<T>;
    const at = entry.at;
    if (this.heap[at] !== entry) return;
    const last = this.heap.pop()!;
    if (last === entry) return;
    this.heap[at] = last;
    last.at = at;
    this.down(at);
    this.up(last.at);
  }

  /** When the earliest check is due, or undefined when there is none. */
  nextDueAt(): number | undefined {
    return this.heap[0]?.dueAt;
  }

  /**
   * Hands each check due by `now` to `run`, earliest first, with the latest due time it missed, and moves it to its
   * next due time: that one plus the interval (not now plus it, so lateness never adds up), past `now` (a late loop
   * skips, never bunches).
   */
  takeDue(now: number, run: (item: T, dueAt: number) => void) {
    for (let top = this.heap[0]; top && top.dueAt <= now; top = this.heap[0]) {
      const dueAt = top.dueAt + Math.floor((now - top.dueAt) / top.intervalMs) * top.intervalMs;
      top.dueAt = dueAt + top.intervalMs;
      top.seq = this.seq++;
      this.down(0);
      run(top.item, dueAt);
    }
  }

  private before(a: TEntry<T>, b: TEntry<T>): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  }

  private swap(i: number, j: number) {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    b.at = i;
    a.at = j;
  }

  private up(i: number) {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number) {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.heap.length && this.before(this.heap[left]!, this.heap[least]!)) least = left;
      if (right < this.heap.length && this.before(this.heap[right]!, this.heap[least]!)) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}
