import { expect, test } from "vitest";
import { admissionGate } from "./admission";

test("admits up to its limit, refuses past it, and admits again once a slot is released", () => {
  const gate = admissionGate({ limit: 3 });
  const slots = [gate.tryEnter(), gate.tryEnter(), gate.tryEnter()];
  expect(slots.every(Boolean)).toBe(true);
  expect(gate.tryEnter()).toBeUndefined();
  expect(gate.inFlight).toBe(3);
  slots[0]!();
  expect(gate.inFlight).toBe(2);
  const again = gate.tryEnter();
  expect(again).toBeDefined();
  expect(gate.tryEnter()).toBeUndefined();
});

test("a slot released twice frees one place, not two", () => {
  const gate = admissionGate({ limit: 1 });
  const slot = gate.tryEnter()!;
  slot();
  slot();
  expect(gate.inFlight).toBe(0);
  expect(gate.tryEnter()).toBeDefined();
  expect(gate.tryEnter()).toBeUndefined();
});
