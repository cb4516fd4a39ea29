// Prints vitest's totals as one plain line ("tests: N passed, N failed, N skipped") from its JSON
// report, so whoever reads the end of a run sees the counts without ANSI colour or table layout.
// Exits 1 when the report is missing or counts no test at all: a run that executed nothing is
// not a pass.
import { readFileSync } from 'node:fs';

const reportPath = process.argv[2];
if (!reportPath) {
  process.stderr.write('usage: node scripts/print-test-totals.mjs <vitest-json-report>\n');
  process.exit(2);
}

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  process.stderr.write(`tests: no vitest report at ${reportPath} (${error.message})\n`);
  process.exit(1);
}

const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
if (passed + failed === 0) process.exit(1);
