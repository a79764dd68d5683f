#!/usr/bin/env node
// The project's test command: type checks, lint, format check, production build, every vitest suite, then the
// Playwright e2e suite.
// Each check counts as one test; the last line sums everything as `N passed, N failed` for CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const checks = [
  ['typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']],
  ['typecheck (e2e)', 'npx', ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit']],
  ['eslint', 'npx', ['eslint', '.']],
  ['prettier', 'npx', ['prettier', '--check', '.']],
  ['build (electron-vite)', 'node', ['scripts/build-if-stale.mjs', '--force']],
];

let passed = 0;
let failed = 0;
for (const [name, command, args] of checks) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (ok) passed++;
  else failed++;
}

const reportDir = mkdtempSync(join(tmpdir(), 'ekm-vitest-'));
const report = join(reportDir, 'report.json');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  {
    stdio: 'inherit',
  },
);
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  // A suite that failed to load has no tests to count: count it as a failure so it cannot hide.
  failed += json.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
} catch {
  console.log('FAIL vitest produced no report');
  failed++;
}
if (vitest.status !== 0 && failed === 0) failed++;

// Playwright: the window in Debian's Chromium against the real host. The build above is reused; every test
// counts, read from the JSON reporter (skipped tests count as neither).
const e2eReport = join(reportDir, 'e2e.json');
const e2eStarted = Date.now();
const failedBefore = failed;
const e2e = spawnSync('npx', ['playwright', 'test', '--reporter=list,json'], {
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport, E2E_SKIP_BUILD: '1' },
});
try {
  const json = JSON.parse(readFileSync(e2eReport, 'utf8'));
  passed += json.stats.expected + json.stats.flaky;
  failed += json.stats.unexpected;
  // Errors outside tests (global setup, a file that does not load) have no test to count.
  failed += json.errors.length;
} catch {
  console.log('FAIL playwright produced no report');
  failed++;
}
if (e2e.status !== 0 && failed === failedBefore) failed++;
console.log(
  `${failed === failedBefore ? 'PASS' : 'FAIL'} e2e (${((Date.now() - e2eStarted) / 1000).toFixed(1)} s)`,
);
rmSync(reportDir, { recursive: true, force: true });

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
