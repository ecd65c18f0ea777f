#!/usr/bin/env node
// `npm test`: vitest (unit + integration), then the app build, then Playwright (e2e in Debian's
// Chromium). Prints each suite's result and, last, the summed line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);
mkdirSync(results, { recursive: true });

function run(label, command, args) {
  console.log(`\n=== ${label}: ${[command.replace(root + '/', ''), ...args].join(' ')}`);
  const r = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return r.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const suites = [];

// Unit and integration tests.
const vitestJson = join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitestStatus = run('unit + integration (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
suites.push({
  name: 'vitest',
  passed: v?.numPassedTests ?? 0,
  // A crash before the report counts as a failure, never as zero tests run.
  failed: v ? v.numFailedTests + (vitestStatus !== 0 && v.numFailedTests === 0 ? 1 : 0) : 1,
  skipped: v ? v.numPendingTests + v.numTodoTests : 0,
});

// The e2e tests drive the built UI.
const buildStatus = run('build (electron-vite: main, preload, renderer)', bin('electron-vite'), [
  'build',
  '--logLevel',
  'warn',
]);
if (buildStatus !== 0) suites.push({ name: 'build', passed: 0, failed: 1, skipped: 0 });

const chromium = process.env.PARALLAX_CHROMIUM ?? '/usr/bin/chromium';
if (buildStatus === 0 && existsSync(chromium)) {
  const pwJson = join(results, 'e2e-report.json');
  rmSync(pwJson, { force: true });
  const pwStatus = run('end to end (Playwright in Chromium)', bin('playwright'), ['test']);
  const p = readJson(pwJson);
  const stats = p?.stats;
  suites.push({
    name: 'playwright',
    passed: stats?.expected ?? 0,
    failed: stats
      ? stats.unexpected + stats.flaky + (pwStatus !== 0 && stats.unexpected === 0 ? 1 : 0)
      : 1,
    skipped: stats?.skipped ?? 0,
  });
} else if (buildStatus === 0) {
  console.error(
    `\n[parallax] ${chromium} not found: the e2e tests need Debian's chromium (apt-get install chromium)`,
  );
  suites.push({ name: 'playwright', passed: 0, failed: 1, skipped: 0 });
}

console.log('');
for (const s of suites)
  console.log(
    `${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`,
  );
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
const skipped = suites.reduce((n, s) => n + s.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
