import { describe, expect, test } from "vitest";
import { SkipLog } from "./skip-report";
import type { TSkipReport } from "./types";

describe("SkipLog", () => {
  test("thousands of skipped keys are one report: the count and the latest five, each cut to a line", async () => {
    const reports: TSkipReport[] = [];
    const log = new SkipLog((report) => reports.push(report));
    for (let i = 0; i < 2000; i++) log.set(`/k/${i}`, i === 1999 ? "x".repeat(1000) : `bad ${i}`);
    await Promise.resolve();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.count).toBe(2000);
    expect(reports[0]!.recent.map(({ key }) => key)).toEqual(["/k/1995", "/k/1996", "/k/1997", "/k/1998", "/k/1999"]);
    expect(reports[0]!.recent[4]!.reason).toHaveLength(200);
  });

  test("a key that decodes again leaves the count; a full listing replaces the set and names only what is new", async () => {
    const reports: TSkipReport[] = [];
    const log = new SkipLog((report) => reports.push(report));
    log.set("/a", "bad");
    log.set("/b", "bad");
    log.delete("/a");
    await Promise.resolve();
    expect(reports.at(-1)).toEqual({ count: 1, recent: [{ key: "/b", reason: "bad" }] });
    expect(
      log.replace([
        { key: "/b", reason: "bad" },
        { key: "/c", reason: "worse" },
      ]),
    ).toEqual([{ key: "/c", reason: "worse" }]);
    expect(log.set("/c", "worse")).toBe(false);
    await Promise.resolve();
    expect(reports.at(-1)?.count).toBe(2);
  });
});
