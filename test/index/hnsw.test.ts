import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HnswIndex } from '../../src/index/engines/hnsw/hnsw-index.js';
import { FlatIndex } from '../../src/index/engines/flat/flat-index.js';
import type { VectorSource } from '../../src/index/formats/vector-types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const dim = 32, n = 4000;
const next = rng(5);
const rows = new Float32Array(n * dim).map(() => next());
const source: VectorSource = { dim, count: n, readRows: (s, c) => rows.slice(s * dim, (s + c) * dim) };
const queries = Array.from({ length: 100 }, () => new Float32Array(dim).map(() => next()));

function recallAt10(got: number[][], truth: number[][]): number {
  let hits = 0;
  got.forEach((ids, i) => {
    const t = new Set(truth[i]);
    for (const id of ids) if (t.has(id)) hits++;
  });
  return hits / (10 * truth.length);
}

test('HNSW with default parameters reaches recall@10 ≥ 0.95 against exact search; save and load keep answers', async () => {
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
  const path = join(dir, 'vectors.hnsw');
  hnsw.save(path);
  const loaded = HnswIndex.load(path);
  assert.deepEqual(await loaded.search(queries, 10), got);
  // A larger ef at load time can only help.
  const wide = HnswIndex.load(path, { efSearch: 256 });
  assert.ok(recallAt10((await wide.search(queries, 10)).ids, truth) >= recall);

  const bytes = readFileSync(path);
  const damaged = Buffer.from(bytes);
  damaged[Math.floor(bytes.length / 2)]! ^= 0xff;
  writeFileSync(path, damaged);
  assert.throws(() => HnswIndex.load(path), /vectors\.hnsw: checksum mismatch/);
  writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  assert.throws(() => HnswIndex.load(path), /vectors\.hnsw: file is \d+ bytes, sidecar says \d+/);
  rmSync(`${path}.json`);
  assert.throws(() => HnswIndex.load(path), /vectors\.hnsw\.json: sidecar not found/);
  assert.throws(() => HnswIndex.load(join(dir, 'none.hnsw')), /none\.hnsw: file not found/);
});

test('HNSW parameters are validated', async () => {
  await assert.rejects(HnswIndex.build(source, { M: 0 }), /M must be a positive integer/);
});
