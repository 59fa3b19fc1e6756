import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export const sizes = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

export type TFinding = { page: string; size: string; rule: string; impact: string; nodes: number; example: string };

/** axe's serious and critical findings on the page as it is now (WCAG 2.1 A and AA, and best practice). */
export async function seriousViolations(page: Page, where: { page: string; size: string }): Promise<TFinding[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      ...where,
      rule: violation.id,
      impact: violation.impact ?? "",
      nodes: violation.nodes.length,
      example: violation.nodes[0]?.html.slice(0, 160) ?? "",
    }));
}
