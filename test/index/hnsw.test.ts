import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HnswIndex, type HnswQuantization, type RowScorer } from '../../src/index/engines/hnsw/hnsw-index.js';
import { FlatIndex } from '../../src/index/engines/flat/flat-index.js';
import { exactInnerProduct } from '../../src/index/engines/exact-score.js';
import type { VectorSource } from '../../src/index/formats/vector-types.js';
import { VectorShardWriter } from '../../src/index/formats/shard-writer.js';
import { VectorStore } from '../../src/index/formats/vector-store.js';
import { StoredRows } from '../../src/index/engines/hnsw/stored-rows.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function sourceOf(rows: Float32Array, dim: number): VectorSource & RowScorer {
  return {
    dim,
    count: rows.length / dim,
    readRows: (s, c) => rows.slice(s * dim, (s + c) * dim),
    score: (row, q) => exactInnerProduct(q, 0, rows, row * dim, dim),
  };
}

function recallAt10(got: number[][], truth: number[][]): number {
  let hits = 0;
  got.forEach((ids, i) => {
    const t = new Set(truth[i]);
    for (const id of ids) if (t.has(id)) hits++;
  });
  return hits / (10 * truth.length);
}

const dim = 32, n = 4000;
const next = rng(5);
const rows = new Float32Array(n * dim).map(() => next());
const source = sourceOf(rows, dim);
const queries = Array.from({ length: 100 }, () => new Float32Array(dim).map(() => next()));

test('HNSW with default parameters reaches recall@10 ≥ 0.95 against exact search; save and view keep answers', async () => {
  const flat = await FlatIndex.fromRows(rows, dim);
  const truth = (await flat.search(queries, 10)).ids;
  await flat.close();
  const hnsw = await HnswIndex.build(source, { addBatch: 1500 });
  assert.equal(hnsw.count, n);
  const got = await hnsw.search(queries, 10);
  const recall = recallAt10(got.ids, truth);
  assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  for (const s of got.scores) for (let r = 1; r < s.length; r++) assert.ok(s[r - 1]! >= s[r]!);

  const dir = mkdtempSync(join(tmpdir(), 'densekit-hnsw-'));
  try {
    const path = join(dir, 'vectors.hnsw');
    hnsw.save(path);
    const viewed = HnswIndex.load(path);
    assert.deepEqual(await viewed.search(queries, 10), got);
    assert.deepEqual(await HnswIndex.load(path, { memory: 'load' }).search(queries, 10), got);
    // A larger ef at open can only help.
    const wide = HnswIndex.load(path, { efSearch: 256 });
    assert.ok(recallAt10((await wide.search(queries, 10)).ids, truth) >= recall);

    // Opening hashes nothing: a flipped byte inside the graph is left to verify, which names the file.
    const bytes = readFileSync(path);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(path, damaged);
    assert.throws(() => HnswIndex.verify(path), /vectors\.hnsw: checksum mismatch/);
    assert.throws(() => HnswIndex.load(path, { verifyChecksum: true }), /vectors\.hnsw: checksum mismatch/);
    // A cut-short file is refused at open by its size; garbage of the right size by usearch's header checks.
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    assert.throws(() => HnswIndex.load(path), /vectors\.hnsw: file is \d+ bytes, sidecar says \d+/);
    // (usearch's own view would read past the end of such files: densekit checks its headers first.)
    writeFileSync(path, Buffer.alloc(bytes.length, 0x5a));
    assert.throws(() => HnswIndex.load(path), /vectors\.hnsw: vector matrix is 1515870810 rows × 1515870810 bytes, expected 4000 × 128 \(file damaged/);
    const badEntry = Buffer.from(bytes);
    badEntry.writeBigUInt64LE(99999n, 8 + n * dim * 4 + 64 + 32);
    writeFileSync(path, badEntry);
    assert.throws(() => HnswIndex.load(path), /vectors\.hnsw: graph header says 4000 nodes, connectivity 16, top level \d+, entry 99999/);
    writeFileSync(path, bytes);
    rmSync(`${path}.json`);
    assert.throws(() => HnswIndex.load(path), /vectors\.hnsw\.json: sidecar not found/);
    assert.throws(() => HnswIndex.load(join(dir, 'none.hnsw')), /none\.hnsw: file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HNSW parameters are validated', async () => {
  await assert.rejects(HnswIndex.build(source, { M: 0 }), /M must be a positive integer/);
  await assert.rejects(HnswIndex.build(source, { quantization: 'u8' as HnswQuantization }), /quantization must be one of f32, f16, i8/);
  const hnsw = await HnswIndex.build(sourceOf(rows.slice(0, 50 * dim), dim));
  await assert.rejects(hnsw.search(queries, 10, { rescore: 5 }), /rescore needs the stored rows/);
  await assert.rejects(hnsw.search(queries, 10, { rescore: 5, rows: source }), /rows to rescore from hold 4000 × 32, the graph 50 × 32/);
});

// Clustered unit vectors, like sentence embeddings: neighbourhoods exist, so recall means something
// (uniform random vectors in many dimensions have none), and components are small, as after L2
// normalisation, which is where a careless int8 scale loses most.
function clustered(count: number, d: number, clusters: number, seed: number): Float32Array {
  const r = rng(seed);
  const centres = Array.from({ length: clusters }, () => new Float32Array(d).map(() => r()));
  const out = new Float32Array(count * d);
  for (let i = 0; i < count; i++) {
    const c = centres[i % clusters]!;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = c[j]! + 0.6 * r();
      out[i * d + j] = v;
      norm += v * v;
    }
    for (let j = 0; j < d; j++) out[i * d + j]! /= Math.sqrt(norm);
  }
  return out;
}

test('f16 and i8 graphs keep recall against exact search on clustered 128-d vectors; rescore restores exact scores and order', async (t) => {
  const d = 128, count = 6000;
  const data = clustered(count + 200, d, 60, 11);
  const corpus = data.subarray(0, count * d);
  const qs = Array.from({ length: 200 }, (_, i) => data.slice((count + i) * d, (count + i + 1) * d));
  const rowsOf = sourceOf(corpus, d);
  const flat = await FlatIndex.fromRows(corpus, d);
  const exact = await flat.search(qs, 10);
  await flat.close();
  const recall: Record<string, number> = {};
  for (const quantization of ['f32', 'f16', 'i8'] as const) {
    const hnsw = await HnswIndex.build(rowsOf, { quantization, threads: 1 });
    assert.equal(hnsw.quantization, quantization);
    const plain = await hnsw.search(qs, 10);
    const rescored = await hnsw.search(qs, 10, { rescore: 40, rows: rowsOf });
    recall[quantization] = recallAt10(plain.ids, exact.ids);
    recall[`${quantization}+rescore`] = recallAt10(rescored.ids, exact.ids);
    rescored.ids.forEach((ids, q) => ids.forEach((row, r) => {
      // Rescored scores are the flat engine's float64 scores of the stored rows, bit for bit, in order.
      assert.equal(rescored.scores[q]![r], exactInnerProduct(qs[q]!, 0, corpus, row * d, d));
      if (r > 0) assert.ok(rescored.scores[q]![r - 1]! >= rescored.scores[q]![r]!);
    }));
    // Graph scores estimate the inner product (i8: the code dot product times both scales).
    const tolerance = quantization === 'f32' ? 1e-6 : quantization === 'f16' ? 2e-3 : 0.05;
    plain.ids.forEach((ids, q) => ids.forEach((row, r) => {
      const err = Math.abs(plain.scores[q]![r]! - exactInnerProduct(qs[q]!, 0, corpus, row * d, d));
      assert.ok(err <= tolerance, `${quantization}: score error ${err} > ${tolerance}`);
    }));
  }
  const line = Object.entries(recall).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ');
  t.diagnostic(`recall@10: ${line}`);
  assert.ok(recall['f32']! >= 0.95 && recall['f16']! >= 0.95, line);
  assert.ok(recall['i8']! >= 0.85, line);
  for (const q of ['f32', 'f16', 'i8']) assert.ok(recall[`${q}+rescore`]! >= Math.max(0.95, recall[q]!), line);
});

test('an i8 graph ranks by inner product, not cosine: a long vector beats a short one at the same angle', async () => {
  // usearch's own float→i8 cast rescales every row to unit length; densekit's one scale per graph must not.
  const d = 8;
  const base = new Float32Array(d).map((_, j) => (j % 2 ? 0.3 : -0.2));
  const data = new Float32Array(40 * d);
  for (let i = 0; i < 40; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i === 7 ? 3 : i === 8 ? 1 : 0.05 * ((i * 7 + j * 3) % 11 - 5)) * (i === 7 || i === 8 ? base[j]! : 1);
  const hnsw = await HnswIndex.build(sourceOf(data, d), { quantization: 'i8', threads: 1 });
  const got = await hnsw.search([base], 2);
  assert.deepEqual(got.ids[0], [7, 8]);
  assert.ok(got.scores[0]![0]! > 2 * got.scores[0]![1]!, `scores ${got.scores[0]!.join(', ')}`);
});

test('rescoring reads stored rows one by one (or from blocks kept within a budget) with the flat engine\'s exact scores; a damaged block is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-hnsw-rows-'));
  try {
    const d = 20, count = 700;
    const data = clustered(count, d, 7, 3);
    const q = data.slice(5 * d, 6 * d).map((v) => v * 0.9);
    for (const dtype of ['f32', 'f16', 'int8'] as const) {
      // Two shards of 300 and 400 rows, blocks of 128 rows: rows cross shard and block boundaries.
      const files = [`a-${dtype}.vec`, `b-${dtype}.vec`];
      [[0, 300], [300, 700]].forEach(([from, to], i) => {
        const w = new VectorShardWriter(join(dir, files[i]!), { dtype, dim: d, blockRows: 128 });
        w.append(data.subarray(from! * d, to! * d));
        w.finish();
      });
      const store = VectorStore.open(dir, files);
      const decoded = store.readRows(0, count);
      const byRow = new StoredRows(store, 0), cached = new StoredRows(store);
      for (const row of [0, 127, 128, 299, 300, 427, 428, 699, 42]) {
        const want = exactInnerProduct(q, 0, decoded, row * d, d);
        assert.equal(byRow.score(row, q), want, `${dtype} row ${row}, read by row`);
        assert.equal(cached.score(row, q), want, `${dtype} row ${row}, cached block`);
      }
      store.close();
    }
    // A flipped code in block 1 of the second f16 shard: the first row read from that block is refused.
    const path = join(dir, 'b-f16.vec');
    const bytes = readFileSync(path);
    bytes[64 + 128 * d * 2 + 3]! ^= 0x08;
    writeFileSync(path, bytes);
    const store = VectorStore.open(dir, ['a-f16.vec', 'b-f16.vec']);
    assert.equal(new StoredRows(store, 0).score(300, q), exactInnerProduct(q, 0, store.readRows(300, 1), 0, d));
    assert.throws(() => new StoredRows(store, 0).score(300 + 130, q), /b-f16\.vec: block 1 \(rows 128\.\.255\) is corrupt/);
    assert.throws(() => new StoredRows(store).score(300 + 200, q), /b-f16\.vec: block 1 \(rows 128\.\.255\) is corrupt/);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
