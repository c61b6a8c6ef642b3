import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerFuse } from '../../src/cli/commands/fuse.js';

async function runFuse(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerFuse(program);
  await program.parseAsync(['node', 'densekit', 'fuse', ...args]);
}

test('densekit fuse: reads TREC runs, fuses, writes a TREC run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'densekit-fuse-'));
  try {
    const a = join(dir, 'dense.trec');
    const b = join(dir, 'bm25.trec');
    await writeFile(a, 'q1 Q0 d1 1 3.0 dense\nq1 Q0 d2 2 2.0 dense\nq1 Q0 d3 3 1.0 dense\n');
    await writeFile(b, 'q1 Q0 d3 1 10 bm25\nq1 Q0 d4 2 5 bm25\n');
    const out = join(dir, 'fused.trec');
    await runFuse(['--runs', a, b, '--output', out]);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(lines.map((l) => l[2]), ['d3', 'd1', 'd4', 'd2']);
    assert.deepEqual(lines.map((l) => l[3]), ['1', '2', '3', '4']);
    assert.ok(Math.abs(Number(lines[0]![4]) - (1 / 63 + 1 / 61)) < 1e-12);

    await runFuse(['--runs', a, b, '--method', 'interpolate', '--alpha', '0.5', '--k', '1', '--output', out, '--tag', 'hybrid']);
    assert.equal((await readFile(out, 'utf8')).trim(), 'q1 Q0 d1 1 0.25 hybrid');

    await assert.rejects(runFuse(['--runs', a, join(dir, 'missing.trec')]), /missing\.trec/);
    await writeFile(b, 'q1 Q0 d3 1\n');
    await assert.rejects(runFuse(['--runs', a, b]), /bm25\.trec:1/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
