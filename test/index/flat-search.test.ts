import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlatIndex } from '../../src/index/engines/flat/flat-index.js';
import { exactInnerProduct, exactInnerProductPair } from '../../src/index/engines/exact-score.js';
import { docidTieRanks } from '../../src/results/tie-ranks.js';
import type { CoarseKind } from '../../src/index/engines/flat/score-graph.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Brute force: every row scored with exactInnerProduct, ordered score desc then docid desc (byte order). */
function bruteForce(rows: Float32Array, dim: number, q: Float32Array, k: number, docids: string[]) {
  const n = rows.length / dim;
  const all = Array.from({ length: n }, (_, r) => ({ r, s: exactInnerProduct(q, 0, rows, r * dim, dim) }));
  all.sort((a, b) => b.s - a.s || Buffer.compare(Buffer.from(docids[b.r]!), Buffer.from(docids[a.r]!)));
  const top = all.slice(0, k);
  return { ids: top.map((x) => x.r), scores: top.map((x) => x.s) };
}

const KINDS: (CoarseKind | 'auto')[] = ['int8', 'f32', 'auto'];

for (const coarse of KINDS) {
  test(`${coarse}: top-k equals brute force on random data across several blocks`, async () => {
    const dim = 48, n = 3000;
    const next = rng(7);
    const rows = new Float32Array(n * dim).map(() => next());
    const docids = Array.from({ length: n }, (_, i) => `d${i}`);
    const index = await FlatIndex.fromRows(rows, dim, { coarse, blockRows: 700, queryBatch: 16 });
    const queries = Array.from({ length: 40 }, () => new Float32Array(dim).map(() => next() * 3));
    for (const k of [1, 10, 200]) {
      const got = await index.search(queries, k, { tieRanks: docidTieRanks(docids) });
      queries.forEach((q, i) => {
        const want = bruteForce(rows, dim, q, k, docids);
        assert.deepEqual(got.ids[i], want.ids, `query ${i} k ${k}`);
        assert.deepEqual(got.scores[i], want.scores, `query ${i} k ${k}`);
      });
    }
    await index.close();
  });

  test(`${coarse}: exact ties are ordered by docid descending in byte order, also at the rank-k cut`, async () => {
    const dim = 8;
    const next = rng(11);
    const base = Array.from({ length: 4 }, () => new Float32Array(dim).map(() => next()));
    // 60 rows: 15 copies of each of 4 vectors (so equal scores), in a shuffled order, with docids whose
    // byte order differs from numeric and row order ("d10" < "d9"; "Z" < "a"; multi-byte last).
    const n = 60;
    const rows = new Float32Array(n * dim);
    const docids: string[] = [];
    for (let r = 0; r < n; r++) {
      rows.set(base[(r * 7) % 4]!, r * dim);
      docids.push([`d${(r * 37) % 100}`, `Z${r}`, `a${r}`, `é${r}`][r % 4]!);
    }
    // Near-ties: one ulp above/below a copy.
    const nearUp = Float32Array.from(base[0]!);
    nearUp[0] = nearUp[0]! + 2 ** -23 * Math.abs(nearUp[0]!);
    const all = new Float32Array((n + 1) * dim);
    all.set(rows);
    all.set(nearUp, n * dim);
    docids.push('near');
    const index = await FlatIndex.fromRows(all, dim, { coarse, blockRows: 16 });
    const queries = [base[0]!, base[1]!, Float32Array.from(base[2]!, (v) => -v), new Float32Array(dim).map(() => next())];
    for (const k of [1, 5, 15, 16, 17, 40]) {
      const got = await index.search(queries, k, { tieRanks: docidTieRanks(docids) });
      queries.forEach((q, i) => {
        const want = bruteForce(all, dim, q, k, docids);
        assert.deepEqual(got.ids[i], want.ids, `query ${i} k ${k}`);
        assert.deepEqual(got.scores[i], want.scores, `query ${i} k ${k}`);
      });
    }
    await index.close();
  });
}

test('an all-zero query scores 0 everywhere and returns the k largest docids', async () => {
  const dim = 4;
  const rows = new Float32Array(10 * dim).map((_, i) => i);
  const docids = ['b', 'a', 'c', 'j', 'e', 'f', 'g', 'h', 'i', 'd'];
  const index = await FlatIndex.fromRows(rows, dim);
  const got = await index.search([new Float32Array(dim)], 3, { tieRanks: docidTieRanks(docids) });
  assert.deepEqual(got.ids[0]!.map((r) => docids[r]), ['j', 'i', 'h']);
  assert.deepEqual(got.scores[0], [0, 0, 0]);
  await index.close();
});

test('k beyond the row count returns every row; bad queries are refused', async () => {
  const dim = 3;
  const index = await FlatIndex.fromRows(new Float32Array([1, 0, 0, 0, 1, 0]), dim);
  const got = await index.search([new Float32Array([1, 2, 0])], 10);
  assert.deepEqual(got.ids, [[1, 0]]);
  assert.deepEqual(got.scores, [[2, 1]]);
  assert.deepEqual((await index.search([new Float32Array([1, 2, 0])], 0)).ids, [[]]);
  await assert.rejects(index.search([new Float32Array(2)], 1), /query 0 has 2 values, index dim is 3/);
  await assert.rejects(index.search([new Float32Array([0, NaN, 0])], 1), /query 0 holds a non-finite value/);
  await index.close();
});

for (const coarse of ['int8', 'f32'] as const) {
  test(`${coarse}: a query whose TopK certificate fails reruns once and still equals brute force`, async () => {
    // Block 0 holds 60 near-copies of one vector (scores within the coarse bound of each other), so
    // TopK's k' = k + 16 hides rows that could still make the top k: the first pass cannot certify.
    const dim = 16, n = 300;
    const next = rng(5);
    const base = new Float32Array(dim).map(() => next());
    const rows = new Float32Array(n * dim).map((_, i) => (i < 60 * dim ? base[i % dim]! + next() * 1e-6 : next() * 0.1));
    const docids = Array.from({ length: n }, (_, i) => `r${i}`);
    const index = await FlatIndex.fromRows(rows, dim, { coarse, blockRows: 60 });
    const got = await index.search([base], 3, { tieRanks: docidTieRanks(docids) });
    assert.ok(index.lastSearchStats.reruns === 1, `expected a rerun, stats ${JSON.stringify(index.lastSearchStats)}`);
    const want = bruteForce(rows, dim, base, 3, docids);
    assert.deepEqual(got.ids[0], want.ids);
    assert.deepEqual(got.scores[0], want.scores);
    await index.close();
  });
}

test('exactInnerProductPair gives the bits of exactInnerProduct for both rows', () => {
  const dim = 96;
  const next = rng(3);
  const x = new Float32Array(5 * dim).map(() => next() * 100);
  const y = new Float32Array(3 * dim).map(() => next());
  const q = new Float32Array(dim).map(() => next() * 7);
  const out = new Float64Array(2);
  for (let a = 0; a < 5; a++) for (let b = 0; b < 3; b++) {
    exactInnerProductPair(Float64Array.from(q), x, a * dim, y, b * dim, dim, out, 0);
    assert.equal(out[0], exactInnerProduct(q, 0, x, a * dim, dim));
    assert.equal(out[1], exactInnerProduct(q, 0, y, b * dim, dim));
  }
});
