// Finds the system Chromium for the browser tests (no Playwright import, so the test runner can ask
// before any test starts). Tests never let a tool download a browser.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser'];

/** DENSEKIT_CHROMIUM when set, else Debian's /usr/bin/chromium, else `chromium` on PATH; undefined when none exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DENSEKIT_CHROMIUM) return existsSync(env.DENSEKIT_CHROMIUM) ? env.DENSEKIT_CHROMIUM : undefined;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The one line a test run prints when it has to skip the browser tests. */
export function howToEnableBrowserTests(env: NodeJS.ProcessEnv = process.env): string {
  const looked = env.DENSEKIT_CHROMIUM ? `DENSEKIT_CHROMIUM=${env.DENSEKIT_CHROMIUM} does not exist` : 'no Chromium at /usr/bin/chromium or on PATH';
  return `browser tests skipped (${looked}): to run them, install Debian's chromium (apt-get install -y chromium) or set DENSEKIT_CHROMIUM to a Chromium binary`;
}

/**
 * Why browser tests skip, or false when they run. Under CI (CI=true) they never skip: CI installs
 * Chromium, so a missing one must fail the run rather than pass it quietly.
 */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env): string | false {
  if (env.CI === 'true' || findChromium(env) !== undefined) return false;
  return 'no Chromium (the last line of `npm test` says how to enable)';
}
