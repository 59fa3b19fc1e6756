import { CheckSchedule, type TScheduled } from "./check-schedule";

/**
 * A `CheckSchedule` run on one timer, set for the earliest due time, that runs everything due within `slotMs` of it
 * at once: a thousand checks a second take at most 1000 / `slotMs` wake-ups, not a timer each. The health checks and
 * the metrics scrapes each have one.
 */
export class ScheduleTimer<T> {
  private readonly schedule = new CheckSchedule<T>();
  private timer?: NodeJS.Timeout;
  private wakeAt = Infinity;
  private stopped = false;

  constructor(private readonly options: { slotMs: number; run: (item: T, dueAt: number) => void }) {}

  get size(): number {
    return this.schedule.size;
  }

  /** Due first at `firstAt`, then every `intervalMs` from there. */
  add(item: T, when: { firstAt: number; intervalMs: number }): TScheduled {
    const scheduled = this.schedule.add(item, when);
    this.arm();
    return scheduled;
  }

  /** Takes it out; a wake-up set for it finds nothing due and sets the next. */
  remove(scheduled: TScheduled) {
    this.schedule.remove(scheduled);
  }

  /** Runs nothing more, for good. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm() {
    const next = this.schedule.nextDueAt();
    if (next === undefined || this.stopped || next >= this.wakeAt) return;
    clearTimeout(this.timer);
    this.wakeAt = next;
    this.timer = setTimeout(() => this.wake(), Math.max(0, next - Date.now()));
  }

  private wake() {
    this.wakeAt = Infinity;
    this.schedule.takeDue(Date.now() + this.options.slotMs, this.options.run);
    this.arm();
  }
}
