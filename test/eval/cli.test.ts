import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFixed4 } from '../../src/eval/format.js';

const DATA = 'test/fixtures/data/trec-dl-2019';
const QRELS = `${DATA}/qrels.dl19-passage.txt`;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'eval', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the built CLI reproduces trec_eval -q -c -l 2 through --json (RepLLaMA run, many tied scores)', () => {
  const golden = JSON.parse(readFileSync('test/fixtures/goldens/metrics/trec_eval.json', 'utf8')).runs['run.REP_LLAMA.dl19.txt'].c_l2 as {
    flags: string;
    all: Record<string, number>;
    per_query: Record<string, Record<string, number>>;
  };
  const r = cli('--qrels', QRELS, '--run', `${DATA}/runs/run.REP_LLAMA.dl19.txt`, ...golden.flags.split(' '), '-q', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { all: Record<string, number>; per_query: Record<string, Record<string, number>> };
  const show = (name: string, v: number) => (name === 'num_q' ? String(v) : formatFixed4(v));
  assert.deepEqual(Object.keys(out.all), ['num_q', 'map', 'recip_rank', 'recall_100', 'recall_1000', 'ndcg_cut_10']);
  for (const [name, v] of Object.entries(golden.all)) assert.equal(show(name, out.all[name]!), show(name, v), `all ${name}`);
  assert.deepEqual(Object.keys(out.per_query).sort(), Object.keys(golden.per_query).sort());
  for (const [qid, values] of Object.entries(golden.per_query)) {
    for (const [name, v] of Object.entries(values)) assert.equal(show(name, out.per_query[qid]![name]!), show(name, v), `${qid} ${name}`);
  }
});

test('text output is trec_eval style and the default measures are the golden default set', () => {
  const r = cli('--qrels', QRELS, '--run', `${DATA}/runs/run.BM25.dl19.txt`);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.split('\t')[0]!.trim()), ['num_q', 'num_rel_ret', 'map', 'recip_rank', 'P_5', 'P_10', 'P_20', 'recall_10', 'recall_100', 'recall_1000', 'ndcg_cut_10', 'ndcg_cut_100']);
  assert.ok(lines.includes(`${'ndcg_cut_10'.padEnd(22)}\tall\t0.5058`));
  assert.ok(lines.includes(`${'num_q'.padEnd(22)}\tall\t43`));
});

test('presets through the CLI', () => {
  const r = cli('--qrels', QRELS, '--run', `${DATA}/runs/run.D_BERT_KD_TASB.dl19.txt`, '--preset', 'trec-dl', '--json');
  assert.equal(r.code, 0, r.stderr);
  const all = (JSON.parse(r.stdout) as { all: Record<string, number> }).all;
  assert.deepEqual(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, formatFixed4(v)])), { ndcg_cut_10: '0.7210', map_l2: '0.4050', recall_1000_l2: '0.6097' });
});

test('bad input exits non-zero with a file:line message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-cli-'));
  try {
    const run = join(dir, 'run.txt');
    writeFileSync(run, '1037798 Q0 d1 1 2.0 t\n1037798 Q0 d1 2 1.0 t\n');
    let r = cli('--qrels', QRELS, '--run', run);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`densekit: error: ${run}:2: document d1 appears twice for topic 1037798`));
    r = cli('--qrels', QRELS, '--run', `${DATA}/runs/run.BM25.dl19.txt`, '-m', 'ndcg@10');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown measure "ndcg@10"/);
    r = cli('--qrels', QRELS, '--run', `${DATA}/runs/run.BM25.dl19.txt`, '--preset', 'nope');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /option '--preset <name>' argument 'nope' is invalid\. Allowed choices are msmarco-dev, trec-dl, beir\.\nsee `densekit eval --help`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('answer accuracy through the CLI with a DPR JSON run and an HTML report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-cli-'));
  try {
    const run = [
      { question: 'who wrote hamlet', answers: ['Shakespeare'], ctxs: [{ id: '1', title: 'x', text: 'nothing', score: 2 }, { id: '2', title: 'y', text: 'By William Shakespeare.', score: 1 }] },
      { question: 'capital of france', answers: ['Paris'], ctxs: [{ id: '3', title: 'z', text: 'Paris, France', score: 3 }] },
    ];
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    const r = cli('--run', join(dir, 'run.json'), '--topk', '1,2', '--report', join(dir, 'report.html'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Top1\taccuracy: 0.5000\nTop2\taccuracy: 1.0000\n');
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<svg[^>]*line-chart/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
