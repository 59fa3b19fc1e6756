import { describe, expect, test, vi } from "vitest";
import { processSingleton } from "./process-singleton";

describe("processSingleton", () => {
  test("makes the value once and hands every later caller the same one", () => {
    const create = vi.fn(() => new Map<string, number>());
    const first = processSingleton("meshdeck.test.once", create);
    const second = processSingleton("meshdeck.test.once", create);
    expect(second).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  test("outlives the module that made it, as a reloaded bundle sees it", async () => {
    const made = processSingleton("meshdeck.test.reload", () => ({ made: 1 }));
    vi.resetModules();
    const reloaded = await import("./process-singleton");
    expect(reloaded.processSingleton("meshdeck.test.reload", () => ({ made: 2 }))).toBe(made);
  });

  test("keeps values apart by key, and is found by others under Symbol.for(key)", () => {
    const a = processSingleton("meshdeck.test.a", () => "a");
    const b = processSingleton("meshdeck.test.b", () => "b");
    expect([a, b]).toEqual(["a", "b"]);
    expect(Reflect.get(globalThis, Symbol.for("meshdeck.test.a"))).toBe("a");
  });

  test("a create that throws keeps nothing, so the next caller tries again", () => {
    expect(() =>
      processSingleton("meshdeck.test.throws", () => {
        throw new Error("not yet");
      }),
    ).toThrow("not yet");
    expect(processSingleton("meshdeck.test.throws", () => 3)).toBe(3);
  });
});
