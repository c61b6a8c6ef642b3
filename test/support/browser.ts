import { chromium, type Browser } from 'playwright-core';
import { browserSkipReason, findChromium, howToEnableBrowserTests } from './chromium-path.js';

/** Flags for a quiet, offline, sandbox-free headless run (containers and CI run as root). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `test(name, BROWSER_TEST, fn)`: skipped with a reason when no Chromium is installed (never under CI). */
export const BROWSER_TEST = { skip: browserSkipReason() };

/**
 * Launches headless Chromium for a test. Fails with a clear message when the binary is missing
 * (under CI, where the browser tests must run).
 */
export async function launchChromium(): Promise<Browser> {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const path = findChromium();
  if (path === undefined) throw new Error(howToEnableBrowserTests().replace('browser tests skipped', 'Chromium not found'));
  return chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}
