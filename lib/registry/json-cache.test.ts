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
  const answers = await Promise.all(Array.from({ length: 1000 }, () => cache.get("service a 7", read)));
  expect(reads).toBe(1);
  expect(new Set(answers).size).toBe(1);
  expect(await cache.get("service a 7", read)).toBe(answers[0]);
  expect(reads).toBe(1);
});

test("keeps at most maxEntries, dropping the least recently used", async () => {
  const cache = new JsonCache({ maxEntries: 2, maxBytes: 1000 });
  await cache.get("a", async () => entry(1));
  await cache.get("b", async () => entry(2));
  await cache.get("a", async () => entry(99)); // a is used again: b is now the oldest
  await cache.get("c", async () => entry(3));
  expect(cache.size.entries).toBe(2);
  expect((await cache.get("a", async () => entry(99))).index).toBe(1);
  expect((await cache.get("b", async () => entry(20))).index).toBe(20);
});

test("keeps at most maxBytes, and serves without keeping an answer larger than them", async () => {
  const cache = new JsonCache({ maxEntries: 100, maxBytes: 25 });
  await cache.get("a", async () => entry(1));
  await cache.get("b", async () => entry(2));
  await cache.get("c", async () => entry(3));
  expect(cache.size).toEqual({ entries: 2, bytes: 20 });
  expect((await cache.get("huge", async () => entry(4, 26))).index).toBe(4);
  expect(cache.size).toEqual({ entries: 2, bytes: 20 });
});

test("a failed read is not cached", async () => {
  const cache = new JsonCache({ maxEntries: 10, maxBytes: 1000 });
  await expect(cache.get("a", async () => Promise.reject(new Error("database gone")))).rejects.toThrow("database gone");
  expect((await cache.get("a", async () => entry(5))).index).toBe(5);
});
