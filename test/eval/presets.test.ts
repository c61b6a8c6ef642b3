import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluatePreset } from '../../src/eval/presets.js';
import { formatFixed4 } from '../../src/eval/format.js';
import { parseQrels, readQrels } from '../../src/eval/qrels.js';
import { parseTrecRun, readTrecRun } from '../../src/eval/run.js';

const DATA = 'test/fixtures/data/trec-dl-2019';
const golden = JSON.parse(readFileSync('test/fixtures/goldens/metrics/trec_eval.json', 'utf8')).runs as Record<string, Record<string, { all: Record<string, number> }>>;

test('msmarco-dev MRR@10 on grade>=2 qrels equals trec_eval -c -M 10 -l 2 recip_rank (runs without tied scores)', async () => {
  const text = readFileSync(`${DATA}/qrels.dl19-passage.txt`, 'utf8');
  const strict = parseQrels(text.split('\n').filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[3]) >= 2).join('\n'));
  for (const file of ['run.BM25.dl19.txt', 'run.D_BERT_KD_TASB.dl19.txt', 'run.OPEN_AI_ADA2.dl19.txt']) {
    const table = evaluatePreset('msmarco-dev', strict, await readTrecRun(`${DATA}/runs/${file}`));
    assert.equal(formatFixed4(table.all['MRR@10']!), formatFixed4(golden[file]!.c_M10_l2_rr!.all.recip_rank!), file);
  }
});

test("msmarco-dev follows MS MARCO's script: rank column order, any qrels line relevant, mean over all qrels topics", () => {
  const qrels = parseQrels(['1 0 a 0', '2 0 b 1', '3 0 c 1'].join('\n'));
  // Topic 1: by score, z would come first; by the rank column, a (grade 0, still relevant to the script) is 1st.
  const run = parseTrecRun(['1 Q0 z 2 9.0 t', '1 Q0 a 1 1.0 t', '2 Q0 x 1 2.0 t', '2 Q0 b 11 1.0 t'].join('\n'));
  const table = evaluatePreset('msmarco-dev', qrels, run);
  assert.deepEqual(Object.fromEntries(table.perQuery), { 1: { 'MRR@10': 1, recall_1000: 0 }, 2: { 'MRR@10': 0, recall_1000: 1 } });
  assert.equal(table.all['MRR@10'], 1 / 3); // topic 3 has no results and still counts
});

test('beir drops hits whose docid equals the query id, then averages over queries with results', () => {
  const qrels = parseQrels(['query-id\tcorpus-id\tscore', 'q1\td1\t1', 'q2\td2\t1', 'q3\td3\t1'].join('\n'));
  const run = parseTrecRun(['q1 Q0 q1 1 9 t', 'q1 Q0 d1 2 8 t', 'q2 Q0 x 1 1 t'].join('\n'));
  const table = evaluatePreset('beir', qrels, run);
  assert.equal(table.perQuery.get('q1')!.ndcg_cut_10, 1); // q1 itself removed, d1 moves to rank 1
  assert.equal(table.all.ndcg_cut_10, 1 / 2); // q3 (no results) is not averaged in
  assert.equal(table.all.recall_100, 1 / 2);
});

test('trec-dl matches trec_eval -c (nDCG@10) and -c -l 2 (MAP, R@1000) for every golden run', async () => {
  const qrels = await readQrels(`${DATA}/qrels.dl19-passage.txt`);
  for (const [file, sets] of Object.entries(golden)) {
    const t = evaluatePreset('trec-dl', qrels, await readTrecRun(`${DATA}/runs/${file}`));
    assert.equal(formatFixed4(t.all.ndcg_cut_10!), formatFixed4(sets.c!.all.ndcg_cut_10!), file);
    assert.equal(formatFixed4(t.all.map_l2!), formatFixed4(sets.c_l2!.all.map!), file);
    assert.equal(formatFixed4(t.all.recall_1000_l2!), formatFixed4(sets.c_l2!.all.recall_1000!), file);
  }
});
