import { describe, expect, test } from "vitest";
import { curvePoint, drawsEdgesOnCanvas, edgeAt, edgeBox, isOverviewAt, nodeAt, overlaps, visibleArea, type TSceneGeometry } from "./topology-scene";

// Two nodes 216x76 side by side, an edge from a's right middle to b's left middle, and one from a down to c.
const scene: TSceneGeometry = {
  size: { width: 216, height: 76 },
  nodes: [
    { id: "a", x: 0, y: 0 },
    { id: "b", x: 400, y: 0 },
    { id: "c", x: 400, y: 400 },
  ],
  edges: [
    { id: "a->b", from: { x: 216, y: 38 }, to: { x: 400, y: 38 } },
    { id: "a->c", from: { x: 216, y: 38 }, to: { x: 400, y: 438 } },
  ],
};

describe("visibleArea", () => {
  test.each([
    [
      { x: 20, y: 10, zoom: 1, width: 800, height: 600 },
      { left: -20, top: -10, right: 780, bottom: 590 },
    ],
    [
      { x: 100, y: -50, zoom: 0.5, width: 800, height: 600 },
      { left: -200, top: 100, right: 1400, bottom: 1300 },
    ],
  ])("%o shows %o", (viewport, area) => expect(visibleArea(viewport)).toEqual(area));
});

describe("the S-curve", () => {
  test("starts and ends at the edge's ends, and passes its middle halfway", () => {
    const edge = { from: { x: 0, y: 0 }, to: { x: 100, y: 50 } };
    expect(curvePoint(edge, 0)).toEqual({ x: 0, y: 0 });
    expect(curvePoint(edge, 1)).toEqual({ x: 100, y: 50 });
    expect(curvePoint(edge, 0.5)).toEqual({ x: 50, y: 25 });
  });
  test("stays within its ends' box", () => {
    const edge = { id: "e", from: { x: 10, y: 90 }, to: { x: 300, y: -40 } };
    const box = edgeBox(edge);
    for (let t = 0; t <= 1; t += 0.05) {
      const { x, y } = curvePoint(edge, t);
      expect(overlaps(box, { left: x, top: y, right: x, bottom: y })).toBe(true);
    }
  });
});

describe("nodeAt", () => {
  test.each([
    [{ x: 100, y: 30 }, 1, "a"],
    [{ x: 500, y: 420 }, 1, "c"],
    [{ x: 300, y: 30 }, 1, null],
    // Within 3 screen px of a's right side a hit, 4 px beyond a miss; zoomed out, 34 graph px beyond is under 2 screen px.
    [{ x: 219, y: 30 }, 1, "a"],
    [{ x: 220, y: 30 }, 1, null],
    [{ x: 250, y: 30 }, 0.05, "a"],
  ])("at %o, zoom %d: %s", (point, zoom, id) => expect(nodeAt(scene, point, zoom)).toBe(id));
});

describe("edgeAt", () => {
  test.each([
    // On the straight edge, and 4 px off it (within 5 screen px); 8 px off at zoom 1 misses, at zoom 0.5 hits.
    [{ x: 300, y: 38 }, 1, "a->b"],
    [{ x: 300, y: 42 }, 1, "a->b"],
    [{ x: 300, y: 46 }, 1, null],
    [{ x: 300, y: 46 }, 0.5, "a->b"],
    // Halfway along the curve down to c.
    [curvePoint({ from: { x: 216, y: 38 }, to: { x: 400, y: 438 } }, 0.5), 1, "a->c"],
    // Near where both leave a, the nearer wins.
    [{ x: 230, y: 39 }, 1, "a->b"],
    [{ x: 100, y: 300 }, 1, null],
  ])("at %o, zoom %d: %s", (point, zoom, id) => expect(edgeAt(scene, point, zoom)).toBe(id));
});

describe("what goes on the canvas", () => {
  test.each([
    [20, 380, true],
    [20, 40, false],
    [151, 40, true],
    [150, 300, false],
  ])("edges of %d nodes and %d edges: %s", (nodes, edges, drawn) => expect(drawsEdgesOnCanvas(nodes, edges)).toBe(drawn));

  test.each([
    [0.05, 1000, true],
    [0.44, 1000, true],
    // Back where the graph opened, give or take the wheel's rounding: DOM nodes.
    [0.455, 1000, false],
    [0.46, 1000, false],
    [0.05, 150, false],
  ])("zoom %d with %d nodes is the overview: %s", (zoom, nodes, overview) => expect(isOverviewAt(zoom, nodes, 0.46)).toBe(overview));
});
