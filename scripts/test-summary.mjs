// Adds up the vitest and Playwright JSON reports into one closing line: "N passed, N failed", after a line per failed
// test, so that a log cut to its last lines still names what failed.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { stripVTControlCharacters } from "node:util";

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const firstLine = (message = "") => stripVTControlCharacters(message).trim().split("\n")[0].slice(0, 200);

if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    const name = relative(process.cwd(), file.name);
    const tests = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of tests) failures.push(`${name} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
    // A file that fails outside its tests (a hook, an import) has no failed test to name.
    if (file.status === "failed" && tests.length === 0) failures.push(`${name}: ${firstLine(file.message)}`);
  }
} else failed += 1;

/** Playwright's suites nest by file and describe block; each spec holds a test per project. */
function playwrightFailures(suites, titles = null) {
  for (const suite of suites ?? []) {
    // The outermost suite is the file, named on the line already.
    const path = titles === null ? [] : [...titles, suite.title];
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === "expected" || test.status === "skipped") continue;
        const error = test.results.find((result) => result.error)?.error?.message;
        failures.push(`${spec.file}:${spec.line} › ${[...path, spec.title].join(" › ")}: ${firstLine(error)}`);
      }
    }
    playwrightFailures(suite.suites, path);
  }
}

if (existsSync(playwrightFile)) {
  const { stats, suites } = JSON.parse(readFileSync(playwrightFile, "utf8"));
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
  playwrightFailures(suites);
} else failed += 1;

if (failures.length > 0) console.log(`\nfailed:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
