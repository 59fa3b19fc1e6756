// Weight changes timed by the instance's own arrivals: the one way the benchmarks measure how fast routing follows
// a change. The watched instance is taken out (weight 0) and put back (weight 1) in turn, under a steady stream.

export type TChange = { weight: number; callMs: number; fromStartMs: number | null; fromAnswerMs: number | null; missed: boolean; streamStalled: boolean };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `count` changes, each timed from the start of its call: to the instance's first request after it is put back, or
 * to its last one after it is taken out (then at least 300 ms watched, the last 200 ms with nothing arriving).
 * A change not seen within `limitMs` of its answer is missed. `progress` counts the stream's completed requests,
 * to tell a change from a stalled stream.
 */
export async function timeChanges({
  count,
  send,
  arrivals,
  progress,
  limitMs = 3000,
}: {
  count: number;
  /** Sets the watched instance's weight; throws when the call is refused. */
  send: (weight: number, index: number) => Promise<void>;
  /** The watched instance's arrival times (epoch ms) since `since`, in order. */
  arrivals: (since: number) => Promise<number[]>;
  progress: () => number;
  limitMs?: number;
}): Promise<TChange[]> {
  const changes: TChange[] = [];
  for (let i = 0; i < count; i++) {
    const weight = i % 2 === 0 ? 0 : 1;
    const callStart = now();
    await send(weight, i);
    const answeredAt = now();
    const progressAtAnswer = progress();
    let seen: number | null = null;
    if (weight > 0) {
      while (seen === null && now() - answeredAt < limitMs) {
        const at = await arrivals(callStart);
        if (at.length) seen = at[0]!;
        else await sleep(2);
      }
    } else {
      let last: number | null = null;
      let quiet = false;
      while (now() - answeredAt < limitMs) {
        last = (await arrivals(callStart)).at(-1) ?? null;
        const t = now();
        if (t - answeredAt >= 300 && t - (last ?? answeredAt) >= 200) {
          quiet = true;
          break;
        }
        await sleep(20);
      }
      seen = quiet ? (last ?? callStart) : null;
    }
    changes.push({
      weight,
      callMs: answeredAt - callStart,
      fromStartMs: seen === null ? null : Math.max(0, seen - callStart),
      fromAnswerMs: seen === null ? null : seen - answeredAt,
      missed: seen === null,
      streamStalled: progress() === progressAtAnswer,
    });
  }
  return changes;
}
