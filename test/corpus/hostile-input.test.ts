import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newCorpusReadStats, readCorpus, readQueries } from '../../src/corpus/index.js';
import { readUniqueQueries } from '../../src/corpus/query-reader.js';
import { readQaFile } from '../../src/eval/answers/answer-inputs.js';
import { parseQrels, readQrels } from '../../src/eval/qrels.js';
import { readTrecRun } from '../../src/eval/run.js';

// Corrupt, truncated and oddly encoded text inputs: each fails with file and line, or is read right.

const tmp = mkdtempSync(join(tmpdir(), 'densekit-hostile-text-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CLI = 'dist/src/cli/main.js';
const BOM = '\uFEFF';

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function truncatedGzip(name: string, text: string): string {
  const full = gzipSync(text);
  const path = join(tmp, name);
  writeFileSync(path, full.subarray(0, Math.floor(full.length * 0.6)));
  return path;
}

const corpusText = Array.from({ length: 400 }, (_, i) => JSON.stringify({ _id: `d${i}`, title: '', text: `passage number ${i} about vitamins and minerals` })).join('\n');

test('a truncated .gz corpus or query file is an error naming the file, not an unhandled stream error', async () => {
  const corpus = truncatedGzip('corpus.jsonl.gz', corpusText);
  await assert.rejects(drain(readCorpus(corpus)), (e: Error) => e.message.startsWith(`${corpus}: corrupt or truncated gzip data`));
  // --skip-bad skips bad lines, not a broken file.
  await assert.rejects(drain(readCorpus(corpus, { skipBad: true, stats: newCorpusReadStats() })), /corrupt or truncated gzip/);
  const queries = truncatedGzip('queries.tsv.gz', Array.from({ length: 300 }, (_, i) => `q${i}\tquery text number ${i}`).join('\n'));
  await assert.rejects(readQueries(queries), (e: Error) => e.message.startsWith(`${queries}: corrupt or truncated gzip data`));

  // Through the CLI: one clear line, exit 1, no Node stack trace, and no --out directory left behind.
  const out = join(tmp, 'never-created');
  const r = spawnSync(process.execPath, [CLI, 'index', '--bm25', '--corpus', corpus, '--out', out, '--skip-bad'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^densekit: error: .*corpus\.jsonl\.gz: corrupt or truncated gzip data/);
  assert.doesNotMatch(r.stderr, /Unhandled|at .*\.js:\d+/);
  assert.equal(existsSync(out), false);
});

test('a UTF-8 BOM is accepted in corpus, queries, qrels, runs and QA files', async () => {
  const corpus = join(tmp, 'bom-corpus.jsonl');
  writeFileSync(corpus, `${BOM}{"_id": "1", "title": "T", "text": "a"}\n{"_id": "2", "text": "b"}\n`);
  assert.deepEqual((await drain(readCorpus(corpus))).map((d) => d.id), ['1', '2']);
  const queries = join(tmp, 'bom-queries.jsonl');
  writeFileSync(queries, `${BOM}{"_id": "q1", "text": "what"}\n`);
  assert.deepEqual(await readQueries(queries), [{ id: 'q1', text: 'what' }]);
  const tsvQueries = join(tmp, 'bom-queries.tsv');
  writeFileSync(tsvQueries, `${BOM}q1\twhat\n`);
  assert.deepEqual(await readQueries(tsvQueries), [{ id: 'q1', text: 'what' }]);
  const qrels = join(tmp, 'bom-qrels.txt');
  writeFileSync(qrels, `${BOM}q1 0 1 1\n`);
  assert.deepEqual([...(await readQrels(qrels)).get('q1')!], [['1', 1]]);
  const run = join(tmp, 'bom-run.trec');
  writeFileSync(run, `${BOM}q1 Q0 1 1 2.5 x\n`);
  assert.deepEqual((await readTrecRun(run)).get('q1')!.docids, ['1']);
  const qa = join(tmp, 'bom-qa.tsv');
  writeFileSync(qa, `${BOM}who wrote it?\t['Someone']\n`);
  assert.deepEqual((await readQaFile(qa))[0]!.answers, ['Someone']);
});

test('invalid UTF-8 in a corpus or query file is an error naming file:line; --skip-bad skips the line', async () => {
  const corpus = join(tmp, 'latin1.jsonl');
  writeFileSync(corpus, Buffer.concat([Buffer.from('{"_id": "1", "text": "ok"}\n{"_id": "2", "text": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"_id": "3", "text": "ok"}\n')]));
  await assert.rejects(drain(readCorpus(corpus)), (e: Error) => e.message === `${corpus}:2: not valid UTF-8 (re-encode the file as UTF-8)`);
  const stats = newCorpusReadStats();
  assert.deepEqual((await drain(readCorpus(corpus, { skipBad: true, stats }))).map((d) => d.id), ['1', '3']);
  assert.equal(stats.skipped, 1);
  assert.match(stats.skippedExamples[0]!, /latin1\.jsonl:2: not valid UTF-8/);
  const queries = join(tmp, 'latin1-queries.tsv');
  writeFileSync(queries, Buffer.concat([Buffer.from('q1\tfine\nq2\tcaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  await assert.rejects(readQueries(queries), (e: Error) => e.message.startsWith(`${queries}:2: not valid UTF-8`));
  const qrels = join(tmp, 'latin1-qrels.txt');
  writeFileSync(qrels, Buffer.concat([Buffer.from('q1 0 d1 1\nq1 0 d'), Buffer.from([0xff]), Buffer.from(' 1\n')]));
  await assert.rejects(readQrels(qrels), (e: Error) => e.message.startsWith(`${qrels}:2: not valid UTF-8`));
});

test('gzip qrels and runs are read transparently', async () => {
  const qrels = join(tmp, 'qrels.txt.gz');
  writeFileSync(qrels, gzipSync('q1 0 d1 1\nq1 0 d2 0\n'));
  assert.equal((await readQrels(qrels)).get('q1')!.get('d1'), 1);
  const run = join(tmp, 'run.trec.gz');
  writeFileSync(run, gzipSync('q1 Q0 d1 1 2.0 x\nq1 Q0 d2 2 1.0 x\n'));
  assert.deepEqual((await readTrecRun(run)).get('q1')!.docids, ['d1', 'd2']);
  const broken = truncatedGzip('broken-run.trec.gz', 'q1 Q0 d1 1 2.0 x\n'.repeat(200));
  await assert.rejects(readTrecRun(broken), (e: Error) => e.message.startsWith(`${broken}: corrupt or truncated gzip data`));
});

test('qrels without the iteration column (qid docid grade) are read as such, never with the docid as the grade', () => {
  const q = parseQrels('q1 d1 1\nq1 d2 0\nq2 7 2\n', 'three.txt');
  assert.deepEqual([...q.get('q1')!], [['d1', 1], ['d2', 0]]);
  assert.deepEqual([...q.get('q2')!], [['7', 2]]);
  // A first line with a non-integer grade is a malformed judgment, not a header to skip silently.
  assert.throws(() => parseQrels('q1 d1 1.5\nq1 d2 1\n', 'frac.txt'), /frac\.txt:1: relevance grade must be an integer/);
  // Mixing the forms is refused with the line number.
  assert.throws(() => parseQrels('q1 d1 1\nq1 0 d2 1\n', 'mixed.txt'), /mixed\.txt:2: malformed qrels line \(expected 3 columns/);
  assert.throws(() => parseQrels('q1 0 d1 1\nq1 d2 1\n', 'mixed4.txt'), /mixed4\.txt:2: malformed qrels line \(expected 4 columns/);
  // BEIR's header row is still skipped.
  assert.deepEqual([...parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t1\n').get('q1')!], [['d1', 1]]);
});

test('a query file with a repeated id is refused naming both lines', async () => {
  const queries = join(tmp, 'dup-queries.tsv');
  writeFileSync(queries, 'q1\tfirst\nq2\tsecond\nq1\tthird\n');
  await assert.rejects(readUniqueQueries(queries), (e: Error) => e.message === `${queries}:3: query id "q1" already appears on line 1; query ids must be unique`);
});
