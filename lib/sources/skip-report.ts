import type { TSkip, TSkipReport } from "./types";

// How many skip reasons a source keeps for its page, and how long each part of one may be: bounded whatever the registry holds.
export const recentSkips = 5;
const maxText = 200;

/** What a source left out, by key: told as a count and the latest few reasons, each cut to a line's length. */
export class SkipLog {
  private readonly reasons = new Map<string, string>();

  constructor(private readonly tell: (report: TSkipReport) => void) {}

  /** Records a key's reason; true when it is new (worth a log line). */
  set(key: string, reason: string): boolean {
    if (this.reasons.get(key) === reason) return false;
    // Re-inserted, so the map's order is the order of the latest reasons.
    this.reasons.delete(key);
    this.reasons.set(key, reason);
    this.changed();
    return true;
  }

  delete(key: string) {
    if (this.reasons.delete(key)) this.changed();
  }

  /** The whole set at once (a full listing): told once, and only if it differs. */
  replace(skips: TSkip[]): TSkip[] {
    const fresh = skips.filter(({ key, reason }) => this.reasons.get(key) !== reason);
    const same = fresh.length === 0 && skips.length === this.reasons.size;
    this.reasons.clear();
    for (const { key, reason } of skips) this.reasons.set(key, reason);
    if (!same) this.changed();
    return fresh;
  }

  report(): TSkipReport {
    return {
      count: this.reasons.size,
      recent: [...this.reasons].slice(-recentSkips).map(([key, reason]) => ({ key: key.slice(0, maxText), reason: reason.slice(0, maxText) })),
    };
  }

  private pending = false;

  /** Told once per turn of the event loop: a listing of thousands of bad keys is one report, not one each. */
  private changed() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.tell(this.report());
    });
  }
}
