import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuseRuns } from '../../src/fusion/fuse-runs.js';
import type { QueryHits } from '../../src/results/hits.js';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);

// Run A lists its hits out of order on purpose: fusion ranks by score (descending), not list position.
const runA: QueryHits[] = [
  { qid: 'q1', hits: [{ docid: 'd2', score: 2 }, { docid: 'd1', score: 3 }, { docid: 'd3', score: 1 }] },
  { qid: 'q2', hits: [{ docid: 'd9', score: 0.5 }] },
];
const runB: QueryHits[] = [{ qid: 'q1', hits: [{ docid: 'd3', score: 10 }, { docid: 'd4', score: 5 }] }];

test('RRF: 1/(60 + rank) summed over runs; ties by docid descending; a query in one run only', () => {
  const fused = fuseRuns([runA, runB], { method: 'rrf' });
  assert.deepEqual(fused.map((q) => q.qid), ['q1', 'q2']);
  const q1 = fused[0]!.hits;
  // d3: rank 3 in A, rank 1 in B; d1: rank 1 in A only; d2 and d4: rank 2 in one run each (tie).
  assert.deepEqual(q1.map((h) => h.docid), ['d3', 'd1', 'd4', 'd2']);
  close(q1[0]!.score, 1 / 63 + 1 / 61);
  close(q1[1]!.score, 1 / 61);
  close(q1[2]!.score, 1 / 62);
  close(q1[3]!.score, 1 / 62);
  assert.deepEqual(fused[1]!.hits, [{ docid: 'd9', score: 1 / 61 }]);
});

test('RRF: custom k, depth and output size', () => {
  const [q1] = fuseRuns([runA, runB], { method: 'rrf', k: 0, depth: 1 });
  // Only each run's top hit counts: d1 (A) and d3 (B), both 1/1, tie broken by docid.
  assert.deepEqual(q1!.hits, [{ docid: 'd3', score: 1 }, { docid: 'd1', score: 1 }]);
  const [cut] = fuseRuns([runA, runB], { method: 'rrf', hits: 2 });
  assert.deepEqual(cut!.hits.map((h) => h.docid), ['d3', 'd1']);
});

test('interpolate: HybridSearcher normalisation, missing docs take the run minimum, alpha weighs run 2', () => {
  const fused = fuseRuns([runA, runB], { method: 'interpolate', alpha: 0.5 });
  const q1 = fused[0]!.hits;
  // A: min 1, max 3 → d1 0.5, d2 0, d3 -0.5 (and -0.5 for d4, missing). B: min 5, max 10 → d3 0.5,
  // d4 -0.5 (and -0.5 for d1, d2, missing).
  assert.deepEqual(q1.map((h) => h.docid), ['d1', 'd3', 'd2', 'd4']);
  close(q1[0]!.score, 0.25);
  close(q1[1]!.score, -0.25);
  close(q1[2]!.score, -0.25);
  close(q1[3]!.score, -0.75);
  // q2 is missing from run B: an empty run has min 0 and max 1, so d9 gets 0.5 * (0 - 0.5) / 1 there;
  // its own run has a single score (max = min), which contributes 0.
  assert.deepEqual(fused[1]!.hits, [{ docid: 'd9', score: -0.25 }]);
});

test('interpolate: raw scores without normalisation (default alpha 0.1)', () => {
  const [q1] = fuseRuns([runA, runB], { method: 'interpolate', normalize: false });
  assert.deepEqual(q1!.hits.map((h) => h.docid), ['d1', 'd2', 'd3', 'd4']);
  close(q1!.hits[0]!.score, 3 + 0.1 * 5);
  close(q1!.hits[1]!.score, 2 + 0.1 * 5);
  close(q1!.hits[2]!.score, 1 + 0.1 * 10);
  close(q1!.hits[3]!.score, 1 + 0.1 * 5);
});

test('fusion: invalid input is refused', () => {
  assert.throws(() => fuseRuns([runA], { method: 'rrf' }), /at least 2 runs/);
  assert.throws(() => fuseRuns([runA, runB, runB], { method: 'interpolate' }), /exactly 2 runs/);
  assert.throws(() => fuseRuns([runA, runB], { method: 'max' as 'rrf' }), /unknown fusion method/);
  assert.throws(() => fuseRuns([runA, runB], { method: 'rrf', depth: 0 }), /depth must be a positive integer/);
  const dup: QueryHits[] = [{ qid: 'q1', hits: [{ docid: 'd1', score: 1 }, { docid: 'd1', score: 0 }] }];
  assert.throws(() => fuseRuns([dup, runB], { method: 'rrf' }), /run 1: query q1 retrieves d1 twice/);
});
