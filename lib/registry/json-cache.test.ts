import { expect, test } from "vitest";
import { JsonCache } from "./json-cache";

const entry = (index: number, size = 10) => ({ index, json: Buffer.from("x".repeat(size)) });

test("concurrent requests for one key share one read", async () => {
  const cache = new JsonCache({ maxEntries: 10, maxBytes: 1000 });
  let reads = 0;
  const read = async () => {
    reads += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return entry(7);
  };
  const answers = await Promise.all(Array.from({ length: 1000 }, () => cache.get("service a", 7, read)));
  expect(reads).toBe(1);
  expect(new Set(answers).size).toBe(1);
  expect(await cache.get("service a", 7, read)).toBe(answers[0]);
  expect(reads).toBe(1);
});

test("keeps at most maxEntries, dropping the least recently used", async () => {
  const cache = new JsonCache({ maxEntries: 2, maxBytes: 1000 });
  await cache.get("a", 0, async () => entry(1));
  await cache.get("b", 0, async () => entry(2));
  await cache.get("a", 0, async () => entry(99)); // a is used again: b is now the oldest
  await cache.get("c", 0, async () => entry(3));
  expect(cache.size.entries).toBe(2);
  expect((await cache.get("a", 0, async () => entry(99))).index).toBe(1);
  expect((await cache.get("b", 0, async () => entry(20))).index).toBe(20);
});

test("keeps at most maxBytes, and serves without keeping an answer larger than them", async () => {
  const cache = new JsonCache({ maxEntries: 100, maxBytes: 25 });
  await cache.get("a", 0, async () => entry(1));
  await cache.get("b", 0, async () => entry(2));
  await cache.get("c", 0, async () => entry(3));
  expect(cache.size).toEqual({ entries: 2, bytes: 20 });
  expect((await cache.get("huge", 0, async () => entry(4, 26))).index).toBe(4);
  expect(cache.size).toEqual({ entries: 2, bytes: 20 });
});

test("a failed read is not cached", async () => {
  const cache = new JsonCache({ maxEntries: 10, maxBytes: 1000 });
  await expect(cache.get("a", 0, async () => Promise.reject(new Error("database gone")))).rejects.toThrow("database gone");
  expect((await cache.get("a", 0, async () => entry(5))).index).toBe(5);
});

test("an answer for a newer index replaces the key's older one; a slow older read never replaces a newer", async () => {
  const cache = new JsonCache({ maxEntries: 10, maxBytes: 1000 });
  expect((await cache.get("service a", 3, async () => entry(3))).index).toBe(3);
  // Asked for 3 or later again: the cached answer, no read.
  expect((await cache.get("service a", 2, async () => entry(99))).index).toBe(3);
  let release = () => {};
  const slow = cache.get("service a", 4, () => new Promise((resolve) => (release = () => resolve(entry(4)))));
  expect((await cache.get("service a", 5, async () => entry(5))).index).toBe(5);
  release();
  expect((await slow).index).toBe(4);
  expect(cache.size).toEqual({ entries: 1, bytes: 10 });
  expect((await cache.get("service a", 5, async () => entry(99))).index).toBe(5);
});
