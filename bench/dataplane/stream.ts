// A constant-rate stream of requests for the propagation part: each request sent on its schedule whatever the last
// one took (open loop, so a slow proxy cannot slow the stream down and hide drops), each on a new connection (a
// kept-alive one that an nginx worker closes as it retires would be the client's to retry, as browsers do).
import { get } from "node:http";

export type TStreamFigures = { rate: number; sent: number; ok: number; dropped: number; reasons: Record<string, number> };

export class ConstantStream {
  private sent = 0;
  private ok = 0;
  private dropped = 0;
  private readonly reasons: Record<string, number> = {};
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;

  constructor(
    private readonly url: string,
    readonly rate: number,
  ) {}

  /** Requests that completed (answered or failed) so far. */
  get completed() {
    return this.ok + this.dropped;
  }

  start() {
    this.startedAt = performance.now();
    // Every 5 ms, whatever is due by now: the rate holds even when a timer fires late.
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.rate);
      while (this.sent < due) this.send();
    }, 5);
  }

  /** Stops sending and waits for the requests in flight; the figures since start. */
  async stop(): Promise<TStreamFigures> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
    return { rate: this.rate, sent: this.sent, ok: this.ok, dropped: this.dropped, reasons: { ...this.reasons } };
  }

  private send() {
    this.sent += 1;
    const done = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (reason: string | null) => {
        if (settled) return;
        settled = true;
        if (reason === null) this.ok += 1;
        else {
          this.dropped += 1;
          this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
        }
        resolve();
      };
      const call = get(this.url, { agent: false }, (answer) => {
        answer.resume();
        answer.on("end", () => settle(answer.statusCode === 200 ? null : `HTTP ${answer.statusCode}`));
        answer.on("error", (error) => settle(error.message));
      });
      call.on("error", (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
      call.setTimeout(5000, () => call.destroy(Object.assign(new Error("no answer within 5 s"), { code: "timeout" })));
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }
}
