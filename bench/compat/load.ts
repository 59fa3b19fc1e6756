// The load of one phase: registering the fleet with bounded concurrency, then renewing each instance at its interval.
import { sleep } from "../shared/process";
import { percentile } from "../shared/report";
import type { TClient, TOutcome } from "./protocols";

export type TCalls = { ok: number; failed: number; p50: number | null; p99: number | null; refusals: Map<string, number> };

/** Latencies and answers of a run of calls; failures counted by their status and answer, as the report lists them. */
class Calls {
  private readonly ms: number[] = [];
  private ok = 0;
  private failed = 0;
  private readonly refusals = new Map<string, number>();

  async time(call: () => Promise<TOutcome>) {
    const started = performance.now();
    const outcome = await call();
    this.ms.push(performance.now() - started);
    if (outcome.status >= 200 && outcome.status < 300 && !outcome.detail) this.ok += 1;
    else {
      this.failed += 1;
      const key = `${outcome.status || "no answer"} ${outcome.detail ?? ""}`.trim();
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    }
  }

  figures(): TCalls {
    return { ok: this.ok, failed: this.failed, p50: percentile(this.ms, 50), p99: percentile(this.ms, 99), refusals: this.refusals };
  }
}

/** Registers instances 0..count-1, `concurrency` at a time: the calls and how long it took. */
export async function registerFleet(client: TClient, count: number, concurrency: number) {
  const calls = new Calls();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const k = next++;
        await calls.time(() => client.register(k));
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ...calls.figures() };
}

/**
 * Renews every instance each `everyMs` for `seconds`: instance k first at k/count of the interval, so the renewals are
 * spread as independent clients' are. Resolves once the window is over and the calls in flight have answered.
 */
export async function holdFleet(client: TClient, count: number, everyMs: number, seconds: number): Promise<TCalls> {
  const calls = new Calls();
  const inFlight = new Set<Promise<void>>();
  const renew = (k: number) => {
    const call = calls.time(() => client.renew(k)).finally(() => inFlight.delete(call));
    inFlight.add(call);
  };
  const timers: NodeJS.Timeout[] = [];
  for (let k = 0; k < count; k++) {
    timers.push(
      setTimeout(
        () => {
          renew(k);
          timers.push(setInterval(() => renew(k), everyMs));
        },
        Math.floor((k / count) * everyMs),
      ),
    );
  }
  await sleep(seconds * 1000);
  for (const timer of timers) clearTimeout(timer);
  await Promise.all(inFlight);
  return calls.figures();
}
