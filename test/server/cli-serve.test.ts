// `densekit serve` as a process: starts, answers, and exits 0 on SIGTERM or SIGINT after closing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

const CLI = 'dist/src/cli/main.js';
let dir: string;

before(async () => {
  dir = await buildFixtureIndex(scifactRecords(30));
});

after(() => {
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

/** Starts `densekit serve`, resolves with the child and its URL once it says it listens. */
function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, 'serve', '--index', dir, '--port', '0', '--threads', '1', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
  return { child, listening, exited, stderr: () => stderr };
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`serve answers, then stops cleanly on ${signal}`, async () => {
    const s = serve([], { DENSEKIT_API_KEY: 'from-env' });
    const url = await s.listening;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(s.stderr(), /API key required/);
    const unauthorized = await fetch(`${url}/info`);
    assert.equal(unauthorized.status, 401);
    const res = await fetch(`${url}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'from-env' },
      body: JSON.stringify({ query: 'cells', k: 3 }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { results: { hits: unknown[] }[] }).results[0]!.hits.length, 3);
    s.child.kill(signal);
    assert.equal(await s.exited, 0);
    assert.match(s.stderr(), new RegExp(`${signal}, finishing in-flight requests\\ndensekit serve: stopped`));
  });
}

test('serve refuses a directory that is not an index, naming it', () => {
  const r = spawnSync(process.execPath, [CLI, 'serve', '--index', dirname(dir), '--port', '0'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /densekit: error: .*not an index directory/);
});

test('serve rejects a bad port before opening anything', () => {
  const r = spawnSync(process.execPath, [CLI, 'serve', '--index', dir, '--port', '99999'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /expected a port from 0 to 65535/);
});
