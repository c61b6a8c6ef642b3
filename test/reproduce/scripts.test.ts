import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { densekitOk } from '../support/cli.js';

// Every reproduction script in scripts/reproduce, run offline: the same commands as on the real
// corpora, but on the tiny golden checkpoints and the small data shipped in test/fixtures. Published
// numbers cannot be reached this way; what is checked is that each script runs, prints its table
// beside the published values, and that its numbers are those the CLI gives when run directly.

const MODELS = 'test/fixtures/goldens/models';
const DATA = 'test/fixtures/data/reproduce';
const QA_CORPUS = `${DATA}/psgs_w100-tiny.tsv`;
const MSMARCO = `${DATA}/msmarco-collection-tiny.tsv`;
const TOPICS = `${DATA}/topics-tiny.tsv`;
const QRELS = `${DATA}/qrels-tiny.txt`;
let tmp: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-reproduce-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const densekit = (...args: string[]): string => densekitOk(...args).stdout;

/** Runs a reproduction script; returns its table as measure → [densekit value, published] and its stderr. */
function reproduce(script: string, ...args: string[]): { table: Map<string, [string, string]>; stderr: string } {
  const r = spawnSync('bash', [`scripts/reproduce/${script}`, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${script} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const header = lines.findIndex((l) => /^measure\s+densekit\s+published$/.test(l));
  assert.ok(header > 0, `${script} printed no table:\n${r.stdout}`);
  const table = new Map<string, [string, string]>();
  for (const line of lines.slice(header + 1)) {
    const m = /^(.+?)\s+(\d\.\d{4})\s+(\S+)$/.exec(line);
    assert.ok(m, `${script}: unreadable table row ${JSON.stringify(line)}`);
    table.set(m[1]!, [m[2]!, m[3]!]);
  }
  return { table, stderr: r.stderr };
}

const evalJson = (...args: string[]) => (JSON.parse(densekit('eval', ...args, '--json')) as { all: Record<string, number> }).all;
const fixed4 = (v: number | undefined) => (assert.equal(typeof v, 'number'), v!.toFixed(4));

/** Answer recall of a run the CLI gives directly, through its dpr-json form (the script goes through TREC + --corpus). */
function directAnswerRecall(name: string, indexArgs: string[], topics: string, topk: string): Record<string, number> {
  const dir = join(tmp, `direct-${name}`);
  densekit('index', ...indexArgs, '--corpus', QA_CORPUS, '--out', join(dir, 'index'));
  densekit('search', '--index', join(dir, 'index'), '--queries', topics, '--k', '100', '--format', 'dpr-json', '--output', join(dir, 'run.json'));
  return evalJson('--run', join(dir, 'run.json'), '--topk', topk);
}

for (const [script, published, pairArgs] of [
  ['rdr-nq.sh', ['0.5429', '0.7216', '0.8280', '0.8634', '0.8820'], ['--preset', 'rdr']],
  ['dpr-nq.sh', ['0.4587', '0.6814', '0.7997', '-', '0.8587'], ['--preset', 'dpr']],
] as const) {
  test(`${script} offline: a context + question encoder pair, NQ topics, answer recall as the CLI gives it`, () => {
    const args = ['--model', `${MODELS}/dpr-ctx-tiny`, '--query-model', `${MODELS}/dpr-question-tiny`, '--corpus', QA_CORPUS, '--topics', `${DATA}/nq-test-head.txt`];
    const { table, stderr } = reproduce(script, ...args, '--work', join(tmp, script));
    assert.match(stderr, /\+ densekit index --model \S+dpr-ctx-tiny --query-model \S+dpr-question-tiny --preset (rdr|dpr) /);
    assert.match(stderr, /\+ densekit eval --answers \S+nq-test-head\.txt --run \S+run\.trec --corpus /);
    const direct = directAnswerRecall(script, ['--model', `${MODELS}/dpr-ctx-tiny`, '--query-model', `${MODELS}/dpr-question-tiny`, ...pairArgs], `${DATA}/nq-test-head.txt`, '1,5,20,50,100');
    assert.deepEqual([...table.keys()], ['answer recall@1', 'answer recall@5', 'answer recall@20', 'answer recall@50', 'answer recall@100']);
    [1, 5, 20, 50, 100].forEach((k, i) => assert.deepEqual(table.get(`answer recall@${k}`), [fixed4(direct[`top_${k}`]), published[i]]));
  });
}

test('bowdpr-trivia.sh offline: one model, TriviaQA-style JSON lines, answer recall as the CLI gives it', () => {
  const { table } = reproduce('bowdpr-trivia.sh', '--model', `${MODELS}/bert-tiny`, '--corpus', QA_CORPUS, '--topics', `${DATA}/trivia-test-tiny.jsonl`, '--work', join(tmp, 'bowdpr'));
  const direct = directAnswerRecall('bowdpr', ['--model', `${MODELS}/bert-tiny`, '--preset', 'bowdpr'], `${DATA}/trivia-test-tiny.jsonl`, '1,5,20,100');
  for (const k of [1, 5, 20, 100]) assert.deepEqual(table.get(`answer recall@${k}`), [fixed4(direct[`top_${k}`]), '-']);
});

/** MS MARCO measures of a run the CLI gives directly from `index`. */
function directMsmarco(name: string, model: string, preset: string): { dev: Record<string, number>; dl: Record<string, number>; mrr: Record<string, number>; r50: Record<string, number> } {
  const dir = join(tmp, `direct-${name}`);
  densekit('index', '--model', model, '--preset', preset, '--corpus', MSMARCO, '--out', join(dir, 'index'));
  const run = join(dir, 'run.trec');
  densekit('search', '--index', join(dir, 'index'), '--queries', TOPICS, '--k', '1000', '--output', run);
  return {
    dev: evalJson('--preset', 'msmarco-dev', '--qrels', QRELS, '--run', run),
    dl: evalJson('--preset', 'trec-dl', '--qrels', QRELS, '--run', run),
    mrr: evalJson('--qrels', QRELS, '--run', run, '-c', '-l', '2', '-M', '10', '-m', 'recip_rank'),
    r50: evalJson('--qrels', QRELS, '--run', run, '-c', '-m', 'recall.50'),
  };
}

// The tiny topics and qrels stand in for every topic set (dev, DL'19, DL'20).
const allSets = ['--dev-topics', TOPICS, '--dev-qrels', QRELS, '--dl19-topics', TOPICS, '--dl19-qrels', QRELS, '--dl20-topics', TOPICS, '--dl20-qrels', QRELS];

test('tasb-msmarco.sh offline: encoded here, dev + DL\'19 + DL\'20 as the CLI gives them', () => {
  const { table } = reproduce('tasb-msmarco.sh', '--model', `${MODELS}/distilbert-tiny`, '--corpus', MSMARCO, ...allSets, '--work', join(tmp, 'tasb'));
  const d = directMsmarco('tasb', `${MODELS}/distilbert-tiny`, 'tas-b');
  assert.deepEqual(table.get('dev MRR@10'), [fixed4(d.dev['MRR@10']), '.347']);
  assert.deepEqual(table.get('dev R@1k'), [fixed4(d.dev.recall_1000), '.978']);
  for (const [set, published] of [['dl19', '.717'], ['dl20', '.686']] as const) {
    assert.deepEqual(table.get(`${set} nDCG@10`), [fixed4(d.dl.ndcg_cut_10), published]);
    assert.deepEqual(table.get(`${set} MRR@10 (rel >= 2)`), [fixed4(d.mrr.recip_rank), '-']);
    assert.deepEqual(table.get(`${set} R@1k (rel >= 2)`), [fixed4(d.dl.recall_1000_l2), '-']);
  }
});

/** Writes a FAISS IndexFlatIP file (faiss.write_index layout) and its docid list from `densekit embed` output. */
function writeFaissFlat(dir: string, embedded: { id: string; embedding: number[] }[]): void {
  const dims = embedded[0]!.embedding.length;
  const header = Buffer.alloc(45);
  header.write('IxFI', 0, 'latin1');
  header.writeInt32LE(dims, 4);
  header.writeBigInt64LE(BigInt(embedded.length), 8);
  header.writeBigInt64LE(1n << 20n, 16);
  header.writeBigInt64LE(1n << 20n, 24);
  header.writeUInt8(1, 32);
  header.writeInt32LE(0, 33);
  header.writeBigUInt64LE(BigInt(embedded.length * dims), 37);
  const data = Float32Array.from(embedded.flatMap((e) => e.embedding));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index'), Buffer.concat([header, Buffer.from(data.buffer)]));
  writeFileSync(join(dir, 'docid'), embedded.map((e) => e.id).join('\n') + '\n');
}

test('tasb-msmarco.sh offline from a prebuilt FAISS flat index (densekit import), as the CLI gives it', () => {
  const dir = join(tmp, 'tasb-prebuilt');
  mkdirSync(dir, { recursive: true });
  const passages = readFileSync(MSMARCO, 'utf8').trim().split('\n').map((l) => ({ id: l.split('\t')[0]!, text: l.split('\t')[1]! }));
  writeFileSync(join(dir, 'passages.jsonl'), passages.map((p) => JSON.stringify(p)).join('\n') + '\n');
  densekit('embed', '--model', `${MODELS}/distilbert-tiny`, '--preset', 'tas-b', '--kind', 'passage', '--input', join(dir, 'passages.jsonl'), '--output', join(dir, 'vectors.jsonl'));
  const embedded = readFileSync(join(dir, 'vectors.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; embedding: number[] });
  writeFaissFlat(join(dir, 'faiss'), embedded);

  const { table, stderr } = reproduce('tasb-msmarco.sh', '--model', `${MODELS}/distilbert-tiny`, '--prebuilt', join(dir, 'faiss'), ...allSets, '--dl20-topics', 'none', '--work', join(dir, 'work'));
  assert.match(stderr, /\+ densekit import --model \S+ --preset tas-b --dtype f32 --vectors \S+faiss\/index --docids \S+faiss\/docid /);
  assert.doesNotMatch(stderr, /densekit index /);
  assert.ok(!table.has('dl20 nDCG@10'), 'a topic set given as none is skipped');

  densekit('import', '--model', `${MODELS}/distilbert-tiny`, '--preset', 'tas-b', '--vectors', join(dir, 'faiss', 'index'), '--docids', join(dir, 'faiss', 'docid'), '--out', join(dir, 'direct'));
  const run = join(dir, 'direct.trec');
  densekit('search', '--index', join(dir, 'direct'), '--queries', TOPICS, '--k', '1000', '--output', run);
  assert.equal(table.get('dev MRR@10')![0], fixed4(evalJson('--preset', 'msmarco-dev', '--qrels', QRELS, '--run', run)['MRR@10']));
  assert.equal(table.get('dl19 nDCG@10')![0], fixed4(evalJson('--preset', 'trec-dl', '--qrels', QRELS, '--run', run).ndcg_cut_10));
});

test('simlm-msmarco.sh offline: dev MRR@10/R@50/R@1k and DL nDCG@10 as the CLI gives them', () => {
  const { table } = reproduce('simlm-msmarco.sh', '--model', `${MODELS}/bert-tiny`, '--corpus', MSMARCO, ...allSets, '--work', join(tmp, 'simlm'));
  const d = directMsmarco('simlm', `${MODELS}/bert-tiny`, 'simlm');
  assert.deepEqual(table.get('dev MRR@10'), [fixed4(d.dev['MRR@10']), '.411']);
  assert.deepEqual(table.get('dev R@50'), [fixed4(d.r50.recall_50), '.878']);
  assert.deepEqual(table.get('dev R@1k'), [fixed4(d.dev.recall_1000), '.987']);
  assert.deepEqual(table.get('dl19 nDCG@10'), [fixed4(d.dl.ndcg_cut_10), '.714']);
  assert.deepEqual(table.get('dl20 nDCG@10'), [fixed4(d.dl.ndcg_cut_10), '.697']);
});

test('a reproduction script names a missing input by its option, and lists its options with --help', () => {
  const missing = spawnSync('bash', ['scripts/reproduce/rdr-nq.sh', '--corpus', join(tmp, 'psgs_w100.tsv'), '--work', join(tmp, 'none')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /psgs_w100\.tsv not found; give it with --corpus/);
  const unknown = spawnSync('bash', ['scripts/reproduce/simlm-msmarco.sh', '--corpsu', 'x'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --corpsu/);
  const help = spawnSync('bash', ['scripts/reproduce/tasb-msmarco.sh', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--prebuilt/);
  assert.match(help.stdout, /--dl20-topics\s+\S*topics\.dl20\.txt/);
});
