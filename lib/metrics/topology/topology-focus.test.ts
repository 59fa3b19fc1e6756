import { expect, test } from "vitest";
import { focusAround } from "./topology-focus";

// A chain a -> b -> c -> d -> e with a side call b -> x and a call among neighbours, c -> x.
const nodes = ["a", "b", "c", "d", "e", "x", "lone"].map((id) => ({ id }));
const edges = [
  ["a", "b"],
  ["b", "c"],
  ["c", "d"],
  ["d", "e"],
  ["b", "x"],
  ["c", "x"],
].map(([caller = "", callee = ""]) => ({ caller, callee }));
const ids = (items: { caller: string; callee: string }[]) => items.map(({ caller, callee }) => `${caller}>${callee}`);

test.each([
  ["c", 1, ["b", "c", "d", "x"], ["b>c", "c>d", "c>x"]],
  ["c", 2, ["a", "b", "c", "d", "e", "x"], ["a>b", "b>c", "c>d", "d>e", "b>x", "c>x"]],
  ["a", 1, ["a", "b"], ["a>b"]],
  ["a", 3, ["a", "b", "c", "d", "x"], ["a>b", "b>c", "c>d", "b>x", "c>x"]],
  ["lone", 2, ["lone"], []],
])("around %s, %i hops: %j", (service, hops, keptNodes, keptEdges) => {
  const shown = focusAround({ nodes, edges, service, hops });
  expect(shown.nodes.map((node) => node.id)).toEqual(keptNodes);
  expect(ids(shown.edges)).toEqual(keptEdges);
});
