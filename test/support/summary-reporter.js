// Writes the run's totals to test-results/summary.json and prints the closing line CI reads.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    // A suite that failed to load counts as a failure even though none of its tests ran.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const summary = { passed: results.numPassedTests, failed, skipped: results.numPendingTests + results.numTodoTests };
    const dir = path.join(__dirname, '..', '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    process.stdout.write(`\n${summary.passed} passed, ${summary.failed} failed\n`);
  }
}
module.exports = SummaryReporter;
