import { seriousViolations, sizes, type TFinding } from "../support/axe";
import { consolePages, openConsolePage } from "../support/console-pages";
import { expect, test } from "../support/fixtures";

// The admin's theme is "system" (the default), so the browser's colour scheme decides; screenshots go to the test's output.
for (const colorScheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical violation on any page in ${colorScheme} mode, at desktop and phone size`, async ({ page, openContext }) => {
    test.setTimeout(240_000);
    // Desktop and phone at once, a page each in the same session: axe's runs, the bulk of the time, use a core each.
    const bySize = await Promise.all(
      sizes.map(async (size, index) => {
        const sized = index === 0 ? page : await page.context().newPage();
        await sized.emulateMedia({ colorScheme });
        await sized.setViewportSize(size);
        const found: TFinding[] = [];
        for (const each of consolePages) {
          await openConsolePage(sized, each);
          found.push(...(await seriousViolations(sized, { page: each.path, size: size.name })));
          await sized.screenshot({ path: test.info().outputPath(`${each.name}-${size.name}-${colorScheme}.png`) });
        }
        return found;
      }),
    );
    const findings = bySize.flat();
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
