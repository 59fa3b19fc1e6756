import { describe, inject } from "vitest";
import type { TAppTarget } from "./start-app";

/**
 * describe.each over the app targets (SQLite, PostgreSQL) with the targets' suites run at once: each target is its own
 * app and database, and the tests that wait on a collector interval overlap their waits. Within one target the tests
 * still run one at a time, in order, with the suite's hooks; use it only where a target's tests share nothing with
 * the other target's, and time nothing tighter than the collector.
 */
export function describeTargetsSideBySide(name: string, body: (target: TAppTarget) => void) {
  describe.each(inject("targets"))(name, { concurrent: true }, (target) => {
    describe("in order", { concurrent: false }, () => body(target));
  });
}
