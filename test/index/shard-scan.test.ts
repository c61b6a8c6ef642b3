import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorShardWriter } from '../../src/index/formats/shard-writer.js';
import { VectorStore } from '../../src/index/formats/vector-store.js';
import { ShardScanIndex } from '../../src/index/engines/flat/shard-scan-index.js';
import { FlatIndex } from '../../src/index/engines/flat/flat-index.js';
import { exactInnerProduct } from '../../src/index/engines/exact-score.js';
import { TopKHeap } from '../../src/results/top-k-heap.js';
import type { VectorDType } from '../../src/index/formats/vector-types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Writes rows into shards of `perShard` rows; returns the store. */
function storeOf(rows: Float32Array, dim: number, dtype: VectorDType, opts: { perShard: number; blockRows: number; version?: 1 | 2 }): VectorStore {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-scan-'));
  const n = rows.length / dim;
  const files: string[] = [];
  for (let s = 0; s * opts.perShard < n; s++) {
    const w = new VectorShardWriter(join(dir, `s${s}.dkv`), { dtype, dim, blockRows: opts.blockRows, version: opts.version });
    w.append(rows.subarray(s * opts.perShard * dim, Math.min(n, (s + 1) * opts.perShard) * dim));
    w.finish();
    files.push(`s${s}.dkv`);
  }
  return VectorStore.open(dir, files);
}

/** The reference: every stored row decoded and scored with exactInnerProduct, ties by rank descending. */
function bruteForce(store: VectorStore, queries: Float32Array[], k: number, tie: (row: number) => number) {
  const all = store.readRows(0, store.count);
  return queries.map((q) => {
    const heap = new TopKHeap(Math.min(k, store.count));
    for (let r = 0; r < store.count; r++) heap.push(exactInnerProduct(q, 0, all, r * store.dim, store.dim), tie(r), r);
    return heap.drainDescending();
  });
}

function corpus(n: number, dim: number, seed: number): Float32Array {
  const next = rng(seed);
  // Uneven norms, so blocks have different largest norms and scores spread widely.
  return new Float32Array(n * dim).map((_, i) => next() * (1 + (Math.floor(i / dim) % 7)));
}

for (const dtype of ['int8', 'f16', 'f32'] as const) {
  test(`shard scan over ${dtype} blocks equals brute force on the stored vectors`, async () => {
    const dim = 48, n = 2500;
    const store = storeOf(corpus(n, dim, 3), dim, dtype, { perShard: 1100, blockRows: 256 });
    const next = rng(9);
    const queries = Array.from({ length: 13 }, () => new Float32Array(dim).map(() => next()));
    queries.push(new Float32Array(dim)); // a zero query: every score ties at 0
    const index = await ShardScanIndex.open(store.shards, { queryBatch: 5 });
    try {
      assert.equal(index.count, n);
      for (const k of [1, 10, 300, n + 5]) {
        const got = await index.search(queries, k);
        const want = bruteForce(store, queries, k, (r) => r);
        assert.deepEqual(got.ids, want.map((w) => w.ids), `${dtype} k=${k} ids`);
        assert.deepEqual(got.scores, want.map((w) => w.scores), `${dtype} k=${k} scores`);
      }
    } finally {
      await index.close();
      store.close();
    }
  });
}

test('shard scan orders and cuts exact ties by tie rank, as brute force does', async () => {
  const dim = 16, distinct = 40, copies = 25;
  const base = corpus(distinct, dim, 5);
  const rows = new Float32Array(distinct * copies * dim);
  for (let c = 0; c < copies; c++) rows.set(base, c * distinct * dim); // each vector 25 times: exact ties
  for (const dtype of ['int8', 'f16'] as const) {
    const store = storeOf(rows, dim, dtype, { perShard: 333, blockRows: 64 });
    const ranks = new Uint32Array(store.count).map((_, i) => (i * 7919) % store.count);
    const queries = [base.slice(0, dim), base.slice(dim * 3, dim * 4)];
    const index = await ShardScanIndex.open(store.shards);
    for (const k of [3, 30, 100]) {
      const got = await index.search(queries, k, { tieRanks: ranks });
      const want = bruteForce(store, queries, k, (r) => ranks[r]!);
      assert.deepEqual(got.ids, want.map((w) => w.ids), `${dtype} k=${k}`);
    }
    await index.close();
    store.close();
  }
});

test('shard scan rescoring one row at a time (dimension not a multiple of 4) and over f32 blocks cuts ties as brute force does', async () => {
  // Rows are rescored two at a time when dim % 4 === 0; dim 30 takes the one-row path. Each vector is
  // stored 20 times across blocks and shards, so k falls inside groups of exactly equal scores.
  const dim = 30, distinct = 30, copies = 20;
  const base = corpus(distinct, dim, 8);
  const rows = new Float32Array(distinct * copies * dim);
  for (let c = 0; c < copies; c++) rows.set(base, c * distinct * dim);
  for (const dtype of ['int8', 'f16', 'f32'] as const) {
    for (const d of [dim, 28]) {
      const sub = d === dim ? rows : Float32Array.from({ length: distinct * copies * d }, (_, i) => rows[Math.floor(i / d) * dim + (i % d)]!);
      const store = storeOf(sub, d, dtype, { perShard: 250, blockRows: 48 });
      const ranks = new Uint32Array(store.count).map((_, i) => (i * 331) % store.count);
      const queries = [sub.slice(0, d), sub.slice(d * 7, d * 8), new Float32Array(d).map((_, j) => (j % 3) - 1)];
      const index = await ShardScanIndex.open(store.shards, { queryBatch: 2 });
      for (const k of [5, 21, 70]) {
        const got = await index.search(queries, k, { tieRanks: ranks });
        const want = bruteForce(store, queries, k, (r) => ranks[r]!);
        assert.deepEqual(got.ids, want.map((w) => w.ids), `${dtype} dim ${d} k=${k} ids`);
        assert.deepEqual(got.scores, want.map((w) => w.scores), `${dtype} dim ${d} k=${k} scores`);
      }
      await index.close();
      store.close();
    }
  }
});

test('version 1 and version 2 shards of the same vectors give identical runs (in-memory index vs scan)', async () => {
  const dim = 32, n = 1500;
  const rows = corpus(n, dim, 11);
  const next = rng(4);
  const queries = Array.from({ length: 9 }, () => new Float32Array(dim).map(() => next()));
  for (const dtype of ['int8', 'f16'] as const) {
    const v1 = storeOf(rows, dim, dtype, { perShard: 700, blockRows: 1, version: 1 });
    const v2 = storeOf(rows, dim, dtype, { perShard: 700, blockRows: 200 });
    const legacy = await FlatIndex.build(v1, { blockRows: 512 });
    const scan = await ShardScanIndex.open(v2.shards);
    for (const k of [10, 1000]) assert.deepEqual(await scan.search(queries, k), await legacy.search(queries, k), `${dtype} k=${k}`);
    await Promise.all([legacy.close(), scan.close()]);
    v1.close();
    v2.close();
  }
});

test('a flipped byte in a vector block is caught by the search that reads the block', async () => {
  const dim = 32, n = 600;
  const store = storeOf(corpus(n, dim, 2), dim, 'int8', { perShard: n, blockRows: 100 });
  const path = store.shards[0]!.path;
  store.close();
  // Block 3 holds rows 300..399; its codes start at 64 + 3 · (100 · 32 + 400).
  const bytes = readFileSync(path);
  bytes[64 + 3 * (100 * 32 + 400) + 5]! ^= 0x10;
  writeFileSync(path, bytes);
  const damaged = VectorStore.open(join(path, '..'), [path.split('/').pop()!]); // open checks only header, table, trailer
  const index = await ShardScanIndex.open(damaged.shards);
  await assert.rejects(index.search([new Float32Array(dim).fill(0.1)], 5), /s0\.dkv: block 3 \(rows 300\.\.399\) is corrupt/);
  assert.throws(() => damaged.readRows(350, 1), /block 3 \(rows 300\.\.399\) is corrupt/);
  assert.deepEqual(damaged.readRows(0, 2).length, 2 * dim, 'undamaged blocks still read');
  await index.close();
  damaged.close();
});
