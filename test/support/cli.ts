// The built `densekit` CLI as a child process, for tests that run it as a user would.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';

export const CLI = 'dist/src/cli/main.js';

/** Runs `densekit ARGS...` and returns its exit status and output. */
export function densekit(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

/** Runs `densekit ARGS...`, failing the test with its stderr unless it exits 0. */
export function densekitOk(...args: string[]): SpawnSyncReturns<string> {
  const r = densekit(...args);
  assert.equal(r.status, 0, `densekit ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** Like `densekit`, without blocking: an in-process server (e.g. a fake hub) keeps answering meanwhile. */
export function densekitAsync(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}
