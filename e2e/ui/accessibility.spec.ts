import { seriousViolations, sizes, type TFinding } from "../support/axe";
import { consolePages, openConsolePage } from "../support/console-pages";
import { expect, test } from "../support/fixtures";

// The admin's theme is "system" (the default), so the browser's colour scheme decides; screenshots go to the test's output.
for (const colorScheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical violation on any page in ${colorScheme} mode, at desktop and phone size`, async ({ page, openContext }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme });
    const findings: TFinding[] = [];
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const each of consolePages) {
        await openConsolePage(page, each);
        findings.push(...(await seriousViolations(page, { page: each.path, size: size.name })));
        await page.screenshot({ path: test.info().outputPath(`${each.name}-${size.name}-${colorScheme}.png`) });
      }
    }
    // The sign-in page, as a stranger sees it.
    const stranger = await (await openContext()).newPage();
    await stranger.emulateMedia({ colorScheme });
    for (const size of sizes) {
      await stranger.setViewportSize(size);
      await stranger.goto("/login");
      await expect(stranger.getByRole("heading", { name: "Sign in" })).toBeVisible();
      findings.push(...(await seriousViolations(stranger, { page: "/login", size: size.name })));
      await stranger.screenshot({ path: test.info().outputPath(`login-${size.name}-${colorScheme}.png`) });
    }
    for (const finding of findings)
      console.log(`axe ${colorScheme} ${finding.size} ${finding.page}: ${finding.impact} ${finding.rule} x${finding.nodes} ${finding.example}`);
    console.log(`axe ${colorScheme}: ${findings.reduce((sum, finding) => sum + finding.nodes, 0)} serious/critical nodes in ${findings.length} findings`);
    expect(findings).toEqual([]);
  });
}
