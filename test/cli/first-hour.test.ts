// A new user's first hour through the CLI: mistakes get errors that name the real problem, failed
// commands leave nothing behind and wipe nothing, and eval says when its zeros mean a mismatch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/src/cli/main.js');
const MODEL = resolve('test/fixtures/goldens/models/bert-tiny');
const DL = 'test/fixtures/data/trec-dl-2019';

let tmp: string;
let corpus: string;
let bm25: string;

function densekit(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd ?? process.cwd(), env: { ...process.env, HF_HUB_OFFLINE: '1', ...options.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], options: { cwd?: string } = {}) {
  const r = densekit(args, options);
  assert.equal(r.status, 0, `densekit ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** Exit 1 with exactly one `densekit: error:` line (no stack trace). */
function fails(args: string[], options: { cwd?: string } = {}): string {
  const r = densekit(args, options);
  assert.equal(r.status, 1, `densekit ${args.join(' ')} should fail\n${r.stdout}${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^densekit: error: /);
  return lines[0]!.replace(/^densekit: error: /, '');
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-first-hour-'));
  corpus = join(tmp, 'corpus.jsonl');
  writeFileSync(corpus, `${readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8').split('\n').slice(0, 30).join('\n')}\n`);
  bm25 = join(tmp, 'bm25');
  ok(['index', '--bm25', '--corpus', corpus, '--out', bm25]);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a mistyped relative model path says the directory does not exist, not that the hub is unreachable', () => {
  const cwd = join(tmp, 'project');
  mkdirSync(join(cwd, 'models'), { recursive: true });
  const message = fails(['embed', '--model', 'models/minilm', '--input', 'in.jsonl', '--output', 'out.jsonl'], { cwd });
  assert.match(message, /^model directory "models\/minilm" does not exist \(.*project\/models has no "minilm"\)/);
  // A path-like id whose first part does not exist either: the hub failure, and that it is no local directory.
  assert.match(fails(['embed', '--model', 'modles/minilm', '--input', 'in.jsonl', '--output', 'out.jsonl'], { cwd }), /"modles\/minilm" is not a local directory either/);
});

test('an index whose model directory moved says so, with what the manifest recorded and how to fix it', () => {
  const model = join(tmp, 'my-model');
  cpSync(MODEL, model, { recursive: true });
  const index = join(tmp, 'dense');
  ok(['index', '--model', model, '--corpus', corpus, '--out', index, '--max-length', '32']);
  const moved = join(tmp, 'my-model-moved');
  renameSync(model, moved);
  const message = fails(['search', '--index', index, '--query', 'vitamin']);
  assert.equal(message, `the index was encoded with the model directory ${model} (model.dir in its manifest.json), which does not exist any more: put the model back there, or set model.dir in manifest.json to where the model is now`);
  // The fix the message names works.
  const manifestPath = join(index, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { model: { dir: string } };
  manifest.model.dir = moved;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  assert.match(ok(['search', '--index', index, '--query', 'vitamin', '--k', '2']).stdout, /^0 Q0 \S+ 1 /);
});

test('a missing corpus names the file and leaves no --out directory behind (dense and BM25)', () => {
  const out = join(tmp, 'never');
  const missing = join(tmp, 'no-such-corpus.jsonl');
  assert.equal(fails(['index', '--model', MODEL, '--corpus', missing, '--out', out]), `${missing}: no such file`);
  assert.equal(existsSync(out), false);
  assert.equal(fails(['index', '--bm25', '--corpus', missing, '--out', out]), `${missing}: no such file`);
  assert.equal(existsSync(out), false);
});

test('a non-existent --index directory says it does not exist', () => {
  const missing = join(tmp, 'no-index');
  assert.equal(fails(['search', '--index', missing, '--query', 'x']), `index directory ${missing} does not exist`);
  assert.equal(fails(['serve', '--index', missing, '--port', '0']), `index directory ${missing} does not exist`);
});

test('--output into a missing directory names the user\'s path, not a temporary file', () => {
  const out = join(tmp, 'no-dir', 'run.trec');
  assert.equal(fails(['search', '--index', bm25, '--query', 'vitamin', '--output', out]), `cannot write ${out}: directory ${join(tmp, 'no-dir')} does not exist`);
  const input = join(tmp, 'tok-in.jsonl');
  writeFileSync(input, '{"text": "hello"}\n');
  assert.match(fails(['tokenize', '--model', MODEL, '--input', input, '--output', out]), /^cannot write .*no-dir\/run\.trec: directory .* does not exist$/);
});

test('embed and tokenize leave an existing --output untouched when the input has a bad line', () => {
  const dir = join(tmp, 'keep');
  mkdirSync(dir);
  const out = join(dir, 'out.jsonl');
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, '{"text": "fine"}\n{"text": \n');
  for (const command of ['embed', 'tokenize']) {
    writeFileSync(out, 'precious earlier results\n');
    assert.match(fails([command, '--model', MODEL, '--input', input, '--output', out]), /in\.jsonl:2: not valid JSON/);
    assert.equal(readFileSync(out, 'utf8'), 'precious earlier results\n', command);
    assert.deepEqual(readdirSync(dir).sort(), ['in.jsonl', 'out.jsonl'], `${command} leaves no temporary file`);
  }
  // And a good input still replaces it.
  writeFileSync(input, '{"text": "fine"}\n');
  ok(['tokenize', '--model', MODEL, '--input', input, '--output', out]);
  assert.match(readFileSync(out, 'utf8'), /^\{"input_ids":\[101,/);
});

test('search --queries with a repeated query id is refused with both line numbers, never a run with repeated pairs', () => {
  const queries = join(tmp, 'dup.tsv');
  writeFileSync(queries, '1\tvitamin c\n2\tcancer cells\n1\tvitamin d\n');
  const out = join(tmp, 'dup.trec');
  assert.equal(fails(['search', '--index', bm25, '--queries', queries, '--output', out]), `${queries}:3: query id "1" already appears on line 1; query ids must be unique`);
  assert.equal(existsSync(out), false);
});

test('eval warns when the run and qrels share no query id, and on an empty run or empty qrels', () => {
  const qrels = join(tmp, 'qrels.txt');
  writeFileSync(qrels, 'q1 0 d1 1\n');
  const run = join(tmp, 'other-topics.trec');
  writeFileSync(run, 'x9 Q0 d1 1 1.0 t\n');
  let r = densekit(['eval', '--qrels', qrels, '--run', run, '-m', 'ndcg_cut.10']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `densekit: warning: ${run} and ${qrels} share no query id (the run has e.g. "x9", the qrels "q1"): nothing is evaluated; are they for the same topics?\n`);
  const empty = join(tmp, 'empty.trec');
  writeFileSync(empty, '');
  r = densekit(['eval', '--qrels', qrels, '--run', empty]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, `densekit: warning: ${empty} is empty (no retrieved documents): every measure is 0\n`);
  const noJudgments = join(tmp, 'empty-qrels.txt');
  writeFileSync(noJudgments, '\n');
  r = densekit(['eval', '--qrels', noJudgments, '--run', run]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, `densekit: warning: ${noJudgments} holds no judgments: every measure is 0\n`);
  // A matching run warns about nothing.
  assert.equal(densekit(['eval', '--qrels', `${DL}/qrels.dl19-passage.txt`, '--run', `${DL}/runs/run.BM25.dl19.txt`]).stderr, '');
});

test('eval --report compares runs on the first measure named; the BEIR preset lists ndcg_cut_10 first', () => {
  const report = join(tmp, 'report.html');
  const runs = ['--run', `${DL}/runs/run.BM25.dl19.txt`, '--run', `${DL}/runs/run.D_BERT_KD_TASB.dl19.txt`];
  ok(['eval', '--qrels', `${DL}/qrels.dl19-passage.txt`, ...runs, '-m', 'ndcg_cut.10', '-m', 'recall.100', '--report', report]);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /run\.D_BERT_KD_TASB\.dl19\.txt vs run\.BM25\.dl19\.txt on <code>ndcg_cut_10<\/code>/);
  ok(['eval', '--qrels', `${DL}/qrels.dl19-passage.txt`, ...runs, '-m', 'recall.100', '-m', 'ndcg_cut.10', '--report', report]);
  assert.match(readFileSync(report, 'utf8'), /on <code>recall_100<\/code>/);
  const beir = ok(['eval', '--qrels', `${DL}/qrels.dl19-passage.txt`, '--run', `${DL}/runs/run.BM25.dl19.txt`, '--preset', 'beir']);
  assert.deepEqual(beir.stdout.trimEnd().split('\n').map((l) => l.split('\t')[0]!.trim()), ['ndcg_cut_10', 'recall_100']);
  ok(['eval', '--qrels', `${DL}/qrels.dl19-passage.txt`, ...runs, '--preset', 'beir', '--report', report]);
  assert.match(readFileSync(report, 'utf8'), /on <code>ndcg_cut_10<\/code>/);
});
