import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the BUILT CLI (`densekit embed` / `densekit tokenize`) on tiny random checkpoints in formats and
// layouts the seed goldens do not cover (sentence-transformers 6 layout with Dense + Normalize, BF16,
// sharded fp16, DPR encode_proj in pytorch_model.bin, legacy torch format with a CRLF vocab, cased
// vocab, max pooling). Expected ids and embeddings come from transformers / sentence-transformers
// (scripts/python/make_extra_goldens.py); parity is ids equal and embeddings within the fixture's
// tolerance (1e-4 for fp32 weights, 1e-3 for fp16/bf16).

const CLI = 'dist/src/cli/main.js';
const FIXTURES = 'test/fixtures/extra-goldens';
const tmp = mkdtempSync(join(tmpdir(), 'densekit-extra-goldens-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  name: string;
  command: 'embed' | 'tokenize';
  flags: string[];
  inputs: Record<string, string>[];
  input_ids: number[][];
  token_type_ids: number[][];
  embeddings?: number[][];
}

interface Expected {
  description: string;
  tolerance: number;
  runs: Run[];
}

function densekit(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
}

let runCount = 0;
function runCli(model: string, run: Run): string {
  const n = runCount++;
  const input = join(tmp, `in-${n}.jsonl`);
  const output = join(tmp, `out-${n}.jsonl`);
  writeFileSync(input, run.inputs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = densekit([run.command, '--model', model, ...run.flags, '--input', input, '--output', output]);
  assert.equal(r.status, 0, `densekit ${run.command} ${run.flags.join(' ')} failed:\n${r.stderr}`);
  return output;
}

const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('the extra-goldens fixtures are present', () => {
  assert.ok(fixtures.length >= 6, `found only ${fixtures.length} fixtures in ${FIXTURES}`);
});

for (const name of fixtures) {
  const model = join(FIXTURES, name);
  const expected = JSON.parse(readFileSync(join(model, 'expected.json'), 'utf8')) as Expected;
  for (const run of expected.runs) {
    test(`${name}: ${run.command} ${run.name} [${run.flags.join(' ')}]`, () => {
      const output = runCli(model, run);
      if (run.command === 'tokenize') {
        const rows = readJsonl<{ input_ids: number[]; token_type_ids: number[] }>(output);
        assert.deepEqual(rows.map((r) => r.input_ids), run.input_ids, 'input_ids');
        assert.deepEqual(rows.map((r) => r.token_type_ids), run.token_type_ids, 'token_type_ids');
        return;
      }
      const rows = readJsonl<{ id: string; embedding: number[] }>(output);
      assert.deepEqual(rows.map((r) => r.id), run.inputs.map((r) => r.id));
      const want = run.embeddings!;
      assert.equal(rows.length, want.length);
      let worst = 0;
      rows.forEach((row, i) => {
        assert.equal(row.embedding.length, want[i]!.length, `${row.id}: dimensions`);
        row.embedding.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want[i]![j]!))));
      });
      assert.ok(worst <= expected.tolerance, `max abs diff ${worst} > ${expected.tolerance}`);
    });
  }
}
