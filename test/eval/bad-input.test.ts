import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMeasures } from '../../src/eval/measures.js';
import { parseQrels, readQrels } from '../../src/eval/qrels.js';
import { parseTrecRun, readTrecRun } from '../../src/eval/run.js';
import { parseDprRun } from '../../src/eval/answers/dpr-run.js';
import { readQaFile } from '../../src/eval/answers/answer-inputs.js';

test('malformed qrels lines name file:line', async () => {
  assert.throws(() => parseQrels('1 0 d1 1\n1 0 d2\n1 0 d3 2 extra\n', 'q.txt'), /^Error: q\.txt:2: malformed qrels line \(expected 4 columns/);
  assert.throws(() => parseQrels('1 0 d1 1\n1 0 d2 high\n', 'q.txt'), /q\.txt:2: relevance grade must be an integer, got "high"/);
  assert.throws(() => parseQrels('1 0 d1 1\n1 0 d1 2\n', 'q.txt'), /q\.txt:2: document d1 of topic 1 is judged twice with different grades/);
  const dir = mkdtempSync(join(tmpdir(), 'densekit-bad-'));
  try {
    writeFileSync(join(dir, 'qrels.txt'), '1 0 d1 1\n\n1 0 d2 x y z\n');
    await assert.rejects(readQrels(join(dir, 'qrels.txt')), new RegExp(`${join(dir, 'qrels.txt')}:3: malformed qrels line`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BEIR qrels TSV with its header row and negative grades read fine', () => {
  const q = parseQrels('query-id\tcorpus-id\tscore\n1\td1\t1\n1\td2\t-1\n');
  assert.deepEqual([...q.get('1')!], [['d1', 1], ['d2', -1]]);
});

test('malformed run lines and duplicate docids within a topic name file:line', async () => {
  assert.throws(() => parseTrecRun('1 Q0 d1 1 2.5 t\n1 Q0 d2 2\n', 'r.txt'), /^Error: r\.txt:2: malformed run line/);
  assert.throws(() => parseTrecRun('1 Q0 d1 1 abc t\n', 'r.txt'), /r\.txt:1: score must be a finite number, got "abc"/);
  assert.throws(() => parseTrecRun('1 Q0 d1 one 2 t\n', 'r.txt'), /r\.txt:1: rank must be an integer/);
  assert.throws(() => parseTrecRun('1 Q0 d1 1 2 t\n2 Q0 d1 1 2 t\n1 Q0 d1 2 1 t\n', 'r.txt'), /r\.txt:3: document d1 appears twice for topic 1/);
  const dir = mkdtempSync(join(tmpdir(), 'densekit-bad-'));
  try {
    writeFileSync(join(dir, 'run.txt'), '1 Q0 d1 1 2 t\n1 Q0 d1 2 1 t\n');
    await assert.rejects(readTrecRun(join(dir, 'run.txt')), new RegExp(`${join(dir, 'run.txt')}:2: document d1 appears twice`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown measure names and bad cutoffs are refused', () => {
  assert.throws(() => parseMeasures(['ndcg_cut.10', 'mrr']), /unknown measure "mrr"; known: .*recip_rank/);
  assert.throws(() => parseMeasures(['P.5,x']), /measure "P\.5,x": cutoff "x" is not a positive integer/);
  assert.throws(() => parseMeasures(['map.5']), /measure map takes no cutoffs/);
  assert.deepEqual(parseMeasures(['P.20,5', 'map', 'P.5']).map((m) => m.name), ['map', 'P_5', 'P_20']);
});

test('unparseable answers files name file:line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-bad-'));
  try {
    writeFileSync(join(dir, 'qa.txt'), "q one\t['a']\nq two\t['b', \n");
    await assert.rejects(readQaFile(join(dir, 'qa.txt')), new RegExp(`${join(dir, 'qa.txt')}:2: `));
    writeFileSync(join(dir, 'qa.jsonl'), '{"question": "q", "answer": ["a"]}\n{"question": "r", "answer": "b"}\n');
    await assert.rejects(readQaFile(join(dir, 'qa.jsonl')), new RegExp(`${join(dir, 'qa.jsonl')}:2: .*list of strings`));
    writeFileSync(join(dir, 'qa2.jsonl'), '{"question": "q", "answer": ["a"]}\n{"question": "r", \n');
    await assert.rejects(readQaFile(join(dir, 'qa2.jsonl')), new RegExp(`${join(dir, 'qa2.jsonl')}:2: not valid JSON`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed DPR JSON runs name the line or entry and field', () => {
  assert.throws(() => parseDprRun('[\n{"question": "q",\n"answers": [}\n]', 'run.json'), /^Error: run\.json:3: not valid JSON/);
  assert.throws(() => parseDprRun('[{"question": "q", "answers": ["a"], "ctxs": [{"id": "1"}]}]', 'run.json'), /run\.json: entry 0 ctxs\[0\]: missing "text"/);
  assert.throws(() => parseDprRun('{"question": "q"}', 'run.json'), /must be a JSON list/);
});
