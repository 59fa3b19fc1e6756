import { describe, expect, test } from "vitest";
import type { TSourceChange, TSourceInstance } from "../types";
import { ChangeFeed } from "./change-feed";

const instance = (id: string, overrides: Partial<TSourceInstance> = {}): TSourceInstance => ({
  instanceId: id,
  service: "orders",
  host: "10.0.0.1",
  port: 8080,
  weight: 100,
  enabled: true,
  tags: [],
  metadata: {},
  ...overrides,
});

function feed(onChange?: (change: TSourceChange) => Promise<void>) {
  const changes: TSourceChange[] = [];
  const failures: unknown[] = [];
  const subject = new ChangeFeed(
    onChange ??
      (async (change) => {
        changes.push(change);
      }),
    (error) => failures.push(error),
  );
  return { subject, changes, failures };
}

describe("ChangeFeed", () => {
  test("tells only what differs from what it last told", async () => {
    const { subject, changes } = feed();
    subject.snapshot([instance("a"), instance("b")]);
    subject.update([instance("a"), instance("b")]);
    subject.update([instance("a", { weight: 5 }), instance("c")]);
    await subject.settled();
    expect(changes).toEqual([
      { kind: "snapshot", instances: [instance("a"), instance("b")], missing: "node deleted", at: expect.any(Number) },
      {
        kind: "changes",
        upserted: [instance("a", { weight: 5 }), instance("c")],
        removed: [{ instanceId: "b", cause: "node deleted", seenAt: expect.any(Number) }],
      },
    ]);
  });

  test("a snapshot is told even when nothing changed, and later changes are told against it", async () => {
    const { subject, changes } = feed();
    subject.snapshot([instance("a")]);
    subject.snapshot([instance("a")]);
    subject.update([]);
    await subject.settled();
    expect(changes.map((change) => change.kind)).toEqual(["snapshot", "snapshot", "changes"]);
  });

  test("sends one change at a time, in order, each after the one before has settled", async () => {
    const log: string[] = [];
    const { subject } = feed(async (change) => {
      log.push(`start ${change.kind}`);
      await new Promise((resolve) => setTimeout(resolve, change.kind === "snapshot" ? 30 : 1));
      log.push(`end ${change.kind}`);
    });
    subject.snapshot([instance("a")], () => log.push("then"));
    subject.update([]);
    await subject.settled();
    expect(log).toEqual(["start snapshot", "end snapshot", "then", "start changes", "end changes"]);
  });

  test("a change the consumer fails to take is reported, and the next still goes out", async () => {
    let calls = 0;
    const { subject, failures } = feed(async () => {
      calls += 1;
      if (calls === 1) throw new Error("busy");
    });
    subject.snapshot([instance("a")], () => {
      throw new Error("then must not run for a change that failed");
    });
    subject.update([]);
    await subject.settled();
    expect(failures).toEqual([new Error("busy")]);
    expect(calls).toBe(2);
  });

  test("sends nothing once stopped, not even what was queued", async () => {
    const { subject, changes } = feed();
    subject.snapshot([instance("a")]);
    await subject.stop();
    subject.snapshot([instance("b")]);
    await subject.stop();
    expect(changes).toEqual([]);
  });
});
