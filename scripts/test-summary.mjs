// Prints vitest's totals as one plain closing line ("Tests: N passed, N failed"), which CI
// reads whatever the runner; exits non-zero when a test failed or none ran.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? ".vitest-results.json", "utf8"));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(
  `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`,
);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
