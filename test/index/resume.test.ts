import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Kill `densekit index` with SIGKILL at random moments, rerun the same command each time, and check
// the finished directory equals an uninterrupted run's byte for byte.

const CLI = 'dist/src/cli/main.js';
const MODEL = 'test/fixtures/goldens/models/bert-tiny';
const KILLS = 5;

let tmp: string;
let corpus: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-resume-'));
  corpus = join(tmp, 'corpus.jsonl');
  // A slice of SciFact and small shards: many commit points, a few seconds per full run.
  writeFileSync(corpus, readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8').split('\n').slice(0, 2500).join('\n'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function indexArgs(out: string, extra: string[] = []): string[] {
  return [CLI, 'index', '--model', MODEL, '--corpus', corpus, '--out', out, '--shard-size', '64', '--max-length', '96', ...extra];
}

function runToEnd(args: string[]) {
  return spawnSync(process.execPath, args, { encoding: 'utf8' });
}

function committedShards(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'build-progress.json'), 'utf8')) as { shards: unknown[] }).shards.length;
  } catch {
    return -1; // not written yet (or finished and removed)
  }
}

/**
 * Starts the command and SIGKILLs it once `moreShards` further shards are committed, plus `jitterMs`
 * (so the kill lands anywhere: startup, scanning, mid-batch, mid-commit). Timing by progress, not by
 * wall clock, keeps the test meaningful on a loaded machine.
 */
function runAndKill(args: string[], dir: string, moreShards: number, jitterMs: number): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const target = Math.max(committedShards(dir), 0) + moreShards;
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (timer === undefined && (moreShards === 0 || committedShards(dir) >= target)) {
        clearInterval(poll);
        timer = setTimeout(() => child.kill('SIGKILL'), jitterMs);
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr });
    });
  });
}

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

test('SIGKILL at random points, then resume: the same bytes as an uninterrupted run', async (t) => {
  const reference = join(tmp, 'reference');
  const ref = runToEnd(indexArgs(reference));
  assert.equal(ref.status, 0, ref.stderr);

  const resumed = join(tmp, 'resumed');
  const log: string[] = [];
  let kills = 0;
  let mismatchChecked = false;
  for (let attempt = 0; kills < KILLS; attempt++) {
    assert.ok(attempt < 40, `could not kill the build ${KILLS} times: ${log.join('; ')}`);
    // The first kill lands during startup or the scan; the others after 1-3 more committed shards
    // (40 shards in all, so the build cannot finish within the kills), each plus a random delay.
    const more = kills === 0 ? 0 : 1 + Math.floor(Math.random() * 3);
    const jitter = Math.round(Math.random() * (kills === 0 ? 400 : 60));
    const r = await runAndKill(indexArgs(resumed), resumed, more, jitter);
    const shards = committedShards(resumed);
    log.push(`+${more} shards +${jitter} ms → ${r.killed ? `killed, ${shards} shards committed` : `exit ${r.code}`}`);
    if (r.killed) kills++;
    else {
      assert.equal(r.code, 0, r.stderr);
      // Finished before the kill: start over so the final run really resumes after KILLS kills.
      rmSync(resumed, { recursive: true, force: true });
      kills = 0;
      continue;
    }
    if (!mismatchChecked && shards > 0) {
      // A partial index refuses a run with other settings, naming what differs.
      const other = runToEnd(indexArgs(resumed, ['--dtype', 'f16']));
      assert.notEqual(other.status, 0);
      assert.match(other.stderr, /partial index built with different settings/);
      assert.match(other.stderr, /dtype: existing "f32", this run "f16"/);
      mismatchChecked = true;
    }
  }
  t.diagnostic(`kills: ${log.join('; ')}`);
  const final = runToEnd(indexArgs(resumed));
  assert.equal(final.status, 0, final.stderr);
  assert.ok(mismatchChecked && final.stderr.includes('resuming'), log.join('; '));

  const want = snapshot(reference);
  const got = snapshot(resumed);
  assert.deepEqual([...got.keys()], [...want.keys()], `same files (kills: ${log.join('; ')})`);
  for (const [name, bytes] of want) assert.ok(bytes.equals(got.get(name)!), `${name} differs (kills: ${log.join('; ')})`);

  // Rerunning a finished build is a no-op.
  const again = runToEnd(indexArgs(resumed));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /already holds this finished index/);
  assert.ok(snapshot(resumed).get('manifest.json')!.equals(want.get('manifest.json')!));
});
