import { describe, expect, test } from "vitest";
import type { THealth } from "./health";
import { advanceHealth, createHealthMachine, flapWindowMs, type THealthDecision, type TProbeStatus } from "./state-machine";

const codes: Record<string, TProbeStatus> = { P: "pass", W: "warn", F: "fail" };

// Runs a string of results ("PPFF"), one per second, and returns the health after each and every decision.
function run(
  results: string,
  {
    rise = 2,
    fall = 2,
    health = "unknown",
    stepMs = 1000,
    lastOkAt = null,
  }: { rise?: number; fall?: number; health?: THealth; stepMs?: number; lastOkAt?: number | null } = {},
) {
  let machine = createHealthMachine({ rise, fall, health, lastOkAt });
  const healths: THealth[] = [];
  const decisions: (THealthDecision & { at: number })[] = [];
  [...results].forEach((code, i) => {
    const at = (i + 1) * stepMs;
    const step = advanceHealth(machine, { status: codes[code] ?? "fail", at });
    machine = step.machine;
    healths.push(machine.health);
    decisions.push(...step.decisions.map((decision) => ({ ...decision, at })));
  });
  return { machine, healths: healths.join(","), decisions };
}

describe("rise and fall", () => {
  test.each([
    { results: "P", rise: 2, fall: 2, from: "unknown", healths: "unknown" },
    { results: "PP", rise: 2, fall: 2, from: "unknown", healths: "unknown,passing" },
    { results: "PFP", rise: 2, fall: 2, from: "unknown", healths: "unknown,unknown,unknown" },
    { results: "PPP", rise: 3, fall: 2, from: "critical", healths: "critical,critical,passing" },
    { results: "FF", rise: 2, fall: 2, from: "unknown", healths: "unknown,critical" },
    { results: "F", rise: 2, fall: 1, from: "passing", healths: "critical" },
    { results: "FPFF", rise: 2, fall: 2, from: "passing", healths: "passing,passing,passing,critical" },
    { results: "FFF", rise: 2, fall: 3, from: "passing", healths: "passing,passing,critical" },
    { results: "FFPP", rise: 2, fall: 2, from: "passing", healths: "passing,critical,critical,passing" },
    { results: "PP", rise: 1, fall: 2, from: "critical", healths: "passing,passing" },
  ])("$results from $from (rise $rise, fall $fall) -> $healths", ({ results, rise, fall, from, healths }) => {
    expect(run(results, { rise, fall, health: from as THealth }).healths).toBe(healths);
  });

  test("a decided change is one transition decision; a steady state is none", () => {
    const { decisions } = run("PPPPFFFFPP", { health: "unknown" });
    expect(decisions.map((d) => d.type === "transition" && `${d.from}>${d.to}`)).toEqual(["unknown>passing", "passing>critical", "critical>passing"]);
  });
});

describe("warning (HTTP 429)", () => {
  test.each([
    { results: "W", from: "passing", healths: "warning" },
    { results: "WP", from: "passing", healths: "warning,passing" },
    { results: "WW", from: "critical", healths: "critical,warning" },
    { results: "PW", from: "critical", healths: "critical,warning" },
    { results: "WFF", from: "passing", healths: "warning,warning,critical" },
  ])("$results from $from -> $healths", ({ results, from, healths }) => {
    expect(run(results, { health: from as THealth }).healths).toBe(healths);
  });
});

describe("detection time", () => {
  test.each([
    // last answer at 1 s; the fall-th failure at 3 s
    { results: "PFF", fall: 2, detectionMs: 2000 },
    { results: "PFFF", fall: 3, detectionMs: 3000 },
    { results: "WFF", fall: 2, detectionMs: 2000 },
    { results: "PFPFF", fall: 2, detectionMs: 2000 },
  ])("$results with fall $fall: $detectionMs ms from the last answer", ({ results, fall, detectionMs }) => {
    const { decisions } = run(results, { health: "passing", fall });
    const critical = decisions.filter((d) => d.type === "transition" && d.to === "critical");
    expect(critical).toEqual([{ type: "transition", from: expect.any(String), to: "critical", detectionMs, at: results.length * 1000 }]);
  });

  test("counts from the last success known before the machine started (a collector restart)", () => {
    const { decisions } = run("FF", { health: "passing", lastOkAt: 500 });
    expect(decisions[0]).toMatchObject({ to: "critical", detectionMs: 1500 });
  });

  test("no detection time without a known success, nor for recoveries", () => {
    const { decisions } = run("FFPP");
    expect(decisions.map((d) => d.type === "transition" && d.detectionMs)).toEqual([undefined, undefined]);
  });
});

describe("flapping", () => {
  // rise 1, fall 1: every alternation is a change.
  test.each([
    { results: "PFPFP", flapping: false, transitions: 5 },
    { results: "PFPFPF", flapping: true, transitions: 6 },
    { results: "PFPFPFPFPFPFPFPF", flapping: true, transitions: 6 },
  ])("$results: flapping $flapping after $transitions written transitions", ({ results, flapping, transitions }) => {
    const { machine, decisions } = run(results, { rise: 1, fall: 1 });
    expect(machine.flapping).toBe(flapping);
    expect(decisions.filter((d) => d.type === "transition")).toHaveLength(transitions);
    expect(decisions.filter((d) => d.type === "flapping-start")).toHaveLength(flapping ? 1 : 0);
  });

  test("calms once the window holds two changes or fewer: one flapping-end with the health then", () => {
    const flapping = "PFPFPFPFPF";
    const calm = "F".repeat(flapWindowMs / 1000);
    const { machine, decisions } = run(flapping + calm, { rise: 1, fall: 1 });
    expect(machine.flapping).toBe(false);
    const kinds = decisions.filter((d) => d.type !== "transition");
    expect(kinds).toEqual([
      { type: "flapping-start", health: "critical", changes: 6, at: 6000 },
      // the last change was at 10 s; the window drops to 2 changes when the one at 8 s leaves it
      { type: "flapping-end", health: "critical", changes: 2, at: 8000 + flapWindowMs },
    ]);
    expect(decisions.filter((d) => d.type === "transition")).toHaveLength(6);
  });

  test("changes spread wider than the window never flap", () => {
    const { machine, decisions } = run("PFPFPFPFPFPF", { rise: 1, fall: 1, stepMs: 13_000 });
    expect(machine.flapping).toBe(false);
    expect(decisions.every((d) => d.type === "transition")).toBe(true);
  });
});
