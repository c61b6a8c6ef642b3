import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_DIR, loadGoldenCases } from './golden-cases.js';

const cases = loadGoldenCases();
const CLI = 'dist/src/cli/main.js';

interface OutputLine {
  input_ids: number[];
  token_type_ids: number[];
  tokens: string[];
}

function runTokenize(lines: string[], extraArgs: string[] = []): { status: number | null; stderr: string; out: OutputLine[]; input: string } {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-tok-cli-'));
  try {
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, lines.map((l) => `${l}\n`).join(''));
    const r = spawnSync(process.execPath, [CLI, 'tokenize', '--model', GOLDEN_DIR, '--input', input, '--output', output, ...extraArgs], {
      encoding: 'utf8',
    });
    let out: OutputLine[] = [];
    try {
      out = readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as OutputLine);
    } catch {
      // no output file: the caller checks status and stderr
    }
    return { status: r.status, stderr: r.stderr, out, input };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('CLI: every single-text golden, one JSON line each, special tokens added', () => {
  const r = runTokenize(cases.single.map((c) => JSON.stringify({ text: c.text })));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.out.length, cases.single.length);
  cases.single.forEach((c, i) => {
    assert.deepEqual(r.out[i]!.input_ids, c.input_ids, JSON.stringify(c.text));
    assert.deepEqual(r.out[i]!.tokens, ['[CLS]', ...c.tokens, '[SEP]']);
    assert.deepEqual(r.out[i]!.token_type_ids, new Array(c.input_ids.length).fill(0));
  });
});

test('CLI: pair goldens at each max length, and single_truncated goldens with --max-length', () => {
  for (const maxLength of [null, 32, 144]) {
    const pairs = cases.pairs.filter((c) => c.max_length === maxLength);
    assert.ok(pairs.length > 0);
    const r = runTokenize(
      pairs.map((c) => JSON.stringify({ text: c.text, text_pair: c.text_pair })),
      maxLength === null ? [] : ['--max-length', String(maxLength)],
    );
    assert.equal(r.status, 0, r.stderr);
    pairs.forEach((c, i) => {
      assert.deepEqual(r.out[i]!.input_ids, c.input_ids);
      assert.deepEqual(r.out[i]!.token_type_ids, c.token_type_ids);
    });
  }
  for (const maxLength of [8, 32]) {
    const singles = cases.single_truncated.filter((c) => c.max_length === maxLength);
    const r = runTokenize(singles.map((c) => JSON.stringify({ text: c.text })), ['--max-length', String(maxLength)]);
    assert.equal(r.status, 0, r.stderr);
    singles.forEach((c, i) => assert.deepEqual(r.out[i]!.input_ids, c.input_ids));
  }
});

test('CLI: a non-JSON line or a line without "text" fails naming file:line', () => {
  const bad = runTokenize(['{"text": "fine"}', '', '{"text": oops}']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /in\.jsonl:3: not valid JSON/);
  const noText = runTokenize(['{"text": "fine"}', '{"title": "no text"}']);
  assert.notEqual(noText.status, 0);
  assert.match(noText.stderr, /in\.jsonl:2: missing "text"/);
});

test('CLI: a directory without vocabulary fails with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-tok-empty-'));
  try {
    const r = spawnSync(process.execPath, [CLI, 'tokenize', '--model', dir, '--input', '/dev/null', '--output', join(dir, 'o.jsonl')], {
      encoding: 'utf8',
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no tokenizer vocabulary in .*looked for vocab\.txt and tokenizer\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
