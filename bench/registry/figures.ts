// What the load generator records of a stage: every answer's latency and status, overload answers (429/503,
// with or without Retry-After), timeouts and connection errors.
import { percentile } from "../shared/report";

export type TFigures = {
  requests: number;
  ok: number;
  seconds: number;
  okPerSecond: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** 429 or 503 with Retry-After: overload answered as it should be. */
  shed: number;
  /** 429 or 503 without Retry-After. */
  shedWithoutRetryAfter: number;
  /** Any other status, by status. */
  otherStatuses: Record<string, number>;
  timeouts: number;
  errors: number;
  lastError: string | null;
};

export class Recorder {
  private readonly latencies: number[] = [];
  private readonly others = new Map<number, number>();
  private ok = 0;
  private shed = 0;
  private shedWithoutRetryAfter = 0;
  private timeouts = 0;
  private errors = 0;
  private lastError: string | null = null;
  private readonly startedAt = performance.now();
  private endedAt: number | null = null;

  answer(ms: number, status: number, retryAfter: string | null) {
    this.latencies.push(ms);
    if (status >= 200 && status < 300) this.ok += 1;
    else if (status === 429 || status === 503) {
      if (retryAfter) this.shed += 1;
      else this.shedWithoutRetryAfter += 1;
    } else this.others.set(status, (this.others.get(status) ?? 0) + 1);
  }

  failure(error: unknown, timedOut: boolean) {
    if (timedOut) this.timeouts += 1;
    else this.errors += 1;
    this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }

  end() {
    this.endedAt ??= performance.now();
  }

  figures(): TFigures {
    const seconds = ((this.endedAt ?? performance.now()) - this.startedAt) / 1000;
    return {
      requests: this.latencies.length + this.timeouts + this.errors,
      ok: this.ok,
      seconds,
      okPerSecond: seconds > 0 ? this.ok / seconds : 0,
      p50: percentile(this.latencies, 50),
      p99: percentile(this.latencies, 99),
      max: this.latencies.length ? this.latencies.reduce((a, b) => Math.max(a, b), 0) : null,
      shed: this.shed,
      shedWithoutRetryAfter: this.shedWithoutRetryAfter,
      otherStatuses: Object.fromEntries([...this.others].map(([status, count]) => [String(status), count])),
      timeouts: this.timeouts,
      errors: this.errors,
      lastError: this.lastError,
    };
  }
}
