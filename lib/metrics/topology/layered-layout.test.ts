import { expect, test } from "vitest";
import { layeredLayout, rankNodes } from "./layered-layout";

const sizes = { width: 200, height: 80, rankGap: 60, rowGap: 20, margin: 20, aspect: 1.6 };
const edgesOf = (pairs: string[][]) => pairs.map(([source = "", target = ""]) => ({ id: `${source}->${target}`, source, target }));

test.each([
  [
    "a chain",
    ["a", "b", "c"],
    [
      ["a", "b"],
      ["b", "c"],
    ],
    { a: 0, b: 1, c: 2 },
  ],
  [
    "the longest path decides",
    ["a", "b", "c"],
    [
      ["a", "b"],
      ["b", "c"],
      ["a", "c"],
    ],
    { a: 0, b: 1, c: 2 },
  ],
  [
    "a cycle is broken",
    ["a", "b", "c"],
    [
      ["a", "b"],
      ["b", "c"],
      ["c", "b"],
    ],
    { a: 0, b: 1, c: 2 },
  ],
  [
    "a caller of a deep service sits just before it",
    ["a", "b", "c", "side"],
    [
      ["a", "b"],
      ["b", "c"],
      ["side", "c"],
    ],
    { a: 0, b: 1, c: 2, side: 1 },
  ],
  ["a lone service", ["lone"], [], { lone: 0 }],
])("ranks %s", (_name, nodes, pairs, ranks) => {
  expect(Object.fromEntries(rankNodes({ nodes, edges: edgesOf(pairs) }))).toEqual(ranks);
});

test("callers are left of their callees, and crossings are undone", () => {
  // a1 calls b2 and a2 calls b1: ordering swaps one layer so the two edges do not cross.
  const { nodes } = layeredLayout(
    {
      nodes: ["a1", "a2", "b1", "b2"],
      edges: edgesOf([
        ["a1", "b2"],
        ["a2", "b1"],
      ]),
    },
    sizes,
  );
  expect(nodes.a1!.x).toBeLessThan(nodes.b2!.x);
  expect(Math.sign(nodes.a1!.y - nodes.a2!.y)).toBe(Math.sign(nodes.b2!.y - nodes.b1!.y));
});

test("1000 services and 3000 edges: every node placed, none overlapping, near the wanted proportion", () => {
  const nodes = Array.from({ length: 1000 }, (_, i) => `s${i}`);
  const edges = Array.from({ length: 3000 }, (_, i) => ({ id: `e${i}`, source: `s${i % 1000}`, target: `s${(i * 37 + 11) % 1000}` }));
  const layout = layeredLayout({ nodes, edges }, sizes);
  const corners = Object.values(layout.nodes);
  expect(corners).toHaveLength(1000);
  expect(new Set(corners.map(({ x, y }) => `${x},${y}`)).size).toBe(1000);
  expect(layout.width / layout.height).toBeGreaterThan(0.5);
  expect(layout.width / layout.height).toBeLessThan(5);
});
