// Runs every compiled test file with Node's built-in test runner.
// Node 20's `--test` takes no globs, so the file list is gathered here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = collect('dist/test');
if (filter.length) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
// Browser tests need Debian's Chromium; without it (and outside CI) they skip, and this says once,
// as the run's last line, how to enable them.
const { browserSkipReason, howToEnableBrowserTests } = await import('../dist/test/support/chromium-path.js');
if (browserSkipReason()) console.error(`run-tests: ${howToEnableBrowserTests()}`);
process.exit(r.status ?? 1);
