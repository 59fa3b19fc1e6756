import { describe, expect, test } from "vitest";
import { seededRandom } from "@/tests/support/seeded-random";
import { diffLines, diffStats, splitLines } from "./diff";

const render = (before: string, after: string) => diffLines(before, after).map((line) => `${{ same: " ", added: "+", removed: "-" }[line.kind]}${line.text}`);

describe("diffLines", () => {
  test.each([
    ["", "", []],
    ["a\nb\n", "a\nb\n", [" a", " b"]],
    ["", "a\n", ["+a"]],
    ["a\n", "", ["-a"]],
    ["a\nb\nc\n", "a\nc\n", [" a", "-b", " c"]],
    ["a\nc\n", "a\nb\nc\n", [" a", "+b", " c"]],
    ['{\n  "latencyMs": 0\n}\n', '{\n  "latencyMs": 150\n}\n', [" {", '-  "latencyMs": 0', '+  "latencyMs": 150', " }"]],
  ])("%j -> %j", (before, after, expected) => {
    expect(render(before, after)).toEqual(expected);
  });

  test("numbers the lines of both sides", () => {
    const lines = diffLines("a\nb\nc", "a\nx\nc");
    expect(lines).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "added", text: "x", oldLine: null, newLine: 2 },
      { kind: "same", text: "c", oldLine: 3, newLine: 3 },
    ]);
  });

  // Properties: applying the script to the old side gives the new one, and the script is no longer than a naive LCS's.
  test("on random texts, the script rebuilds both sides and is minimal", () => {
    const random = seededRandom(7);
    const text = (n: number) => Array.from({ length: n }, () => "abcde"[Math.floor(random() * 5)]).join("\n");
    for (let run = 0; run < 200; run += 1) {
      const before = text(Math.floor(random() * 30));
      const after = text(Math.floor(random() * 30));
      const lines = diffLines(before, after);
      expect(lines.filter((line) => line.kind !== "added").map((line) => line.text)).toEqual(splitLines(before));
      expect(lines.filter((line) => line.kind !== "removed").map((line) => line.text)).toEqual(splitLines(after));
      const { added, removed } = diffStats(lines);
      expect(added + removed).toBe(splitLines(before).length + splitLines(after).length - 2 * lcsLength(splitLines(before), splitLines(after)));
    }
  });
});

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
