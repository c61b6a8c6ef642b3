// End-to-end check against Pyserini's published BEIR SciFact BM25 numbers (trec_eval -c):
// flat nDCG@10 0.6789, R@100 0.9253; multifield nDCG@10 0.6647, R@100 0.9076. The acceptance bound
// is ±0.005; the scorer reproduces Lucene's arithmetic, so the values agree to all four published digits.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCorpus, readQueries } from '../../src/corpus/index.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { readQrels } from '../../src/eval/qrels.js';
import { runFromHits } from '../../src/eval/run.js';
import { Bm25Index } from '../../src/sparse/bm25-index.js';

const DATA = 'test/fixtures/data/scifact';

async function scifactMetrics(index: Bm25Index): Promise<{ ndcg10: number; recall100: number }> {
  const queries = await readQueries(join(DATA, 'queries.jsonl'));
  const qrels = await readQrels(join(DATA, 'qrels/test.tsv'));
  const testQueries = queries.filter((q) => qrels.has(q.id));
  assert.equal(testQueries.length, 300);
  const hits = await index.search(testQueries, 1000);
  const result = evaluate(qrels, runFromHits(hits), { measures: ['ndcg_cut.10', 'recall.100'], complete: true });
  return { ndcg10: result.all['ndcg_cut_10']!, recall100: result.all['recall_100']! };
}

function assertMatches(actual: number, published: number, what: string): void {
  assert.ok(Math.abs(actual - published) <= 0.005, `${what} = ${actual.toFixed(4)}, published ${published}`);
  assert.equal(actual.toFixed(4), published.toFixed(4), `${what} should round to the published value`);
}

test('BM25 flat on SciFact reproduces Pyserini (nDCG@10 0.6789 ± 0.005), and survives save/open', async () => {
  const index = await Bm25Index.build(readCorpus(join(DATA, 'corpus.jsonl')), { fields: 'flat' });
  assert.equal(index.size, 5183);
  const m = await scifactMetrics(index);
  assertMatches(m.ndcg10, 0.6789, 'flat nDCG@10');
  assertMatches(m.recall100, 0.9253, 'flat R@100');

  const dir = await mkdtemp(join(tmpdir(), 'densekit-bm25-'));
  try {
    await index.save(dir);
    assert.ok(await Bm25Index.isBm25Dir(dir));
    assert.ok(!(await readdir(dir)).some((f) => f.includes('.tmp-')), 'no temporary files left behind');
    const reopened = await Bm25Index.open(dir);
    const q = [{ id: 'q', text: '0-dimensional biomaterials show inductive properties.' }];
    assert.deepEqual(await reopened.search(q, 20), await index.search(q, 20));
    assert.ok((await stat(join(dir, 'manifest.json'))).size > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('BM25 multifield on SciFact reproduces Pyserini (nDCG@10 0.6647 ± 0.005)', async () => {
  const index = await Bm25Index.build(readCorpus(join(DATA, 'corpus.jsonl')), { fields: 'multifield' });
  const m = await scifactMetrics(index);
  assertMatches(m.ndcg10, 0.6647, 'multifield nDCG@10');
  assertMatches(m.recall100, 0.9076, 'multifield R@100');
});
