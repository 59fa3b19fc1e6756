import { describe, expect, test, vi } from "vitest";
import { ChangeQueue } from "./change-queue";
import type { TSourceChange } from "./types";

/** A queue whose batches are recorded; each write waits on `gate` when one is set. */
function recordingQueue() {
  const batches: TSourceChange[] = [];
  let gate: Promise<void> | undefined;
  const queue = new ChangeQueue(
    async (change) => {
      batches.push(change);
      await gate;
    },
    (error) => {
      throw error;
    },
    "key deleted",
  );
  return { queue, batches, hold: (until: Promise<void>) => (gate = until) };
}

const ids = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `i-${from + i}`);

describe("ChangeQueue", () => {
  test("a lease's 2,000 watch deletes are one batch", async () => {
    const { queue, batches } = recordingQueue();
    for (const id of ids(2000)) queue.remove(id, "lease expired");
    await queue.drain();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ kind: "changes", upserted: [] });
    expect(batches[0]!.kind === "changes" && batches[0]!.removed).toHaveLength(2000);
  });

  test("what arrives while a batch is written goes into the next one, merged", async () => {
    const { queue, batches, hold } = recordingQueue();
    let release!: () => void;
    void hold(new Promise<void>((resolve) => (release = resolve)));
    queue.remove("first", "key deleted");
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    for (const id of ids(1000)) queue.remove(id, "key deleted");
    queue.upsert({ instanceId: "i-7", service: "s", host: "h", port: 1, weight: 100, enabled: true, tags: [], metadata: {} });
    release();
    await queue.drain();
    expect(batches).toHaveLength(2);
    const second = batches[1]!;
    expect(second.kind === "changes" && [second.removed.length, second.upserted.map((instance) => instance.instanceId)]).toEqual([999, ["i-7"]]);
  });

  test("a removal says why and when it was seen; a cause still being asked holds the batch until it is known", async () => {
    const { queue, batches } = recordingQueue();
    let answer!: (cause: "lease expired") => void;
    const before = Date.now();
    queue.remove("leased", new Promise((resolve) => (answer = resolve)));
    queue.remove("plain", "key deleted");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches).toHaveLength(0);
    answer("lease expired");
    await queue.drain();
    const [batch] = batches;
    expect(batch?.kind === "changes" && batch.removed.map(({ instanceId, cause }) => [instanceId, cause])).toEqual([
      ["leased", "lease expired"],
      ["plain", "key deleted"],
    ]);
    expect(batch?.kind === "changes" && batch.removed[0]!.seenAt).toBeGreaterThanOrEqual(before);
  });
});
