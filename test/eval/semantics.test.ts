import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/eval/evaluate.js';
import { formatFixed4 } from '../../src/eval/format.js';
import { parseQrels } from '../../src/eval/qrels.js';
import { parseTrecRun, runFromHits } from '../../src/eval/run.js';
import { writeTrecRun } from '../../src/results/trec-run.js';
import { compareBytes } from '../../src/eval/trec-order.js';

const QRELS = parseQrels(['A 0 d1 2', 'A 0 d2 1', 'A 0 d3 -1', 'A 0 d4 0', 'B 0 x 1', 'C 0 y 3'].join('\n'));

test('ties break by docid descending; the rank column is ignored', () => {
  // d2 and d1 tie; trec_eval puts d2 first (docid descending) whatever the rank column says.
  const run = parseTrecRun(['A Q0 d1 1 5 t', 'A Q0 d2 2 5 t'].join('\n'));
  const r = evaluate(QRELS, run, { measures: ['P.1', 'recip_rank', 'ndcg_cut.1'], level: 2 });
  assert.equal(r.perQuery.get('A')!.P_1, 0); // d2 (grade 1) is first, not relevant at level 2
  assert.equal(r.perQuery.get('A')!.recip_rank, 0.5);
  assert.equal(r.perQuery.get('A')!.ndcg_cut_1, 1 / 2); // gain 1 vs ideal 2, -l ignored
});

test('negative grades are judged non-relevant; -c averages over missing topics; run-only topics are ignored', () => {
  const run = parseTrecRun(['A Q0 d3 1 9 t', 'A Q0 d1 2 8 t', 'Z Q0 q 1 1 t'].join('\n'));
  const plain = evaluate(QRELS, run, { measures: ['num_q', 'num_ret', 'num_rel', 'num_rel_ret', 'map', 'Rprec'] });
  assert.deepEqual([...plain.perQuery.keys()], ['A']);
  assert.equal(plain.all.num_q, 1);
  assert.equal(plain.all.num_ret, 2); // topic Z has no qrels: ignored
  assert.equal(plain.all.num_rel, 2); // d1, d2 (d3 is -1, d4 is 0)
  assert.equal(plain.all.map, (1 / 2) / 2);
  assert.equal(plain.all.Rprec, 1 / 2);
  const complete = evaluate(QRELS, run, { measures: ['num_q', 'num_rel', 'map'], complete: true });
  assert.equal(complete.all.num_q, 3);
  assert.equal(complete.all.num_rel, 4); // B and C's relevant documents count too
  assert.equal(complete.all.map, (1 / 2) / 2 / 3);
  assert.deepEqual([...complete.perQuery.keys()], ['A']); // like trec_eval -q -c: no lines for missing topics
});

test('-M caps the depth before every measure', () => {
  const run = parseTrecRun(['A Q0 d4 1 9 t', 'A Q0 d1 2 8 t'].join('\n'));
  const r = evaluate(QRELS, run, { measures: ['recip_rank', 'num_ret'], maxDepth: 1 });
  assert.equal(r.all.recip_rank, 0);
  assert.equal(r.all.num_ret, 1);
});

test('printf-style rounding: exact ties round to even as glibc does', () => {
  assert.equal(formatFixed4(1 / 32), '0.0312');
  assert.equal(formatFixed4(3 / 32), '0.0938');
  assert.equal(formatFixed4(0.12344999), '0.1234');
  assert.equal(formatFixed4(1), '1.0000');
});

test('docids compare in byte order, like strcmp on UTF-8', () => {
  assert.ok(compareBytes('\u{1F600}', '\uFF01') > 0); // U+1F600 > U+FF01 in UTF-8, though its UTF-16 unit is smaller
  assert.ok(compareBytes('b', 'ab') > 0);
  assert.ok(compareBytes('a', 'ab') < 0);
});

test('writeTrecRun round-trips through readTrecRun with scores exact and ranks from 1', async () => {
  const hits = [
    { qid: 'q1', hits: [{ docid: 'd9', score: 0.1 + 0.2 }, { docid: 'd1', score: 1e-7 }] },
    { qid: 'q2', hits: [{ docid: 'x', score: -3 }] },
  ];
  const text = writeTrecRun(hits, 'densekit');
  assert.equal(text.split('\n')[0], `q1 Q0 d9 1 ${0.1 + 0.2} densekit`);
  const back = parseTrecRun(text);
  assert.deepEqual(back, runFromHits(hits));
  assert.throws(() => writeTrecRun(hits, 'bad tag'), /run tag/);
  assert.throws(() => writeTrecRun([{ qid: 'q', hits: [{ docid: 'a', score: 1 }, { docid: 'a', score: 0 }] }], 't'), /retrieved twice/);
});
