import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaissFlatFile } from '../../src/index/import/faiss.js';
import { NpyFile } from '../../src/index/import/npy.js';
import { readDocidList } from '../../src/files/id-list.js';
import { FlatIndex } from '../../src/index/engines/flat/flat-index.js';

const FIX = 'test/fixtures/import';
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as {
  dim: number; docids: string[]; vectors: number[][]; vectors_f16: number[][]; faiss_top3_ip_of_row0: number[][];
};
const rowsOf = (a: Float32Array, dim: number) => Array.from({ length: a.length / dim }, (_, i) => Array.from(a.subarray(i * dim, (i + 1) * dim)));

test('FAISS IndexFlatIP and IndexFlatL2 files import with their vectors, metric and docids', async () => {
  for (const [file, metric] of [['flat-ip.index', 'ip'], ['flat-l2.index', 'l2']] as const) {
    const f = FaissFlatFile.open(join(FIX, file));
    assert.equal(f.metric, metric);
    assert.equal(f.dim, expected.dim);
    assert.equal(f.count, expected.vectors.length);
    assert.deepEqual(rowsOf(f.readRows(0, f.count), f.dim), expected.vectors);
    assert.deepEqual(rowsOf(f.readRows(2, 3), f.dim), expected.vectors.slice(2, 5));
    f.close();
  }
  const f = FaissFlatFile.open(join(FIX, 'flat-ip.index'));
  const ids = readDocidList(join(FIX, 'docid'), f.count);
  assert.deepEqual(ids, expected.docids);
  // Searching the imported vectors agrees with FAISS's own answer.
  const index = await FlatIndex.fromRows(f.readRows(0, f.count), f.dim);
  const hits = await index.search([f.readRows(0, 1)], 3);
  assert.deepEqual(hits.ids, expected.faiss_top3_ip_of_row0);
  await index.close();
});

test('non-flat, truncated, foreign and missing FAISS files are refused naming the file', () => {
  assert.throws(() => FaissFlatFile.open(join(FIX, 'hnsw.index')), /hnsw\.index: is a IndexHNSWFlat \(fourcc IHNf\), not a flat index/);
  assert.throws(() => FaissFlatFile.open(join(FIX, 'vectors-v1.npy')), /vectors-v1\.npy: unknown fourcc/);
  assert.throws(() => FaissFlatFile.open(join(FIX, 'nope.index')), /nope\.index: cannot open \(ENOENT\)/);
  const dir = mkdtempSync(join(tmpdir(), 'densekit-import-'));
  const bytes = readFileSync(join(FIX, 'flat-ip.index'));
  writeFileSync(join(dir, 'cut.index'), bytes.subarray(0, bytes.length - 4));
  assert.throws(() => FaissFlatFile.open(join(dir, 'cut.index')), /cut\.index: file is 209 bytes, expected 213 for 7 vectors of dim 6/);
  writeFileSync(join(dir, 'short.index'), bytes.subarray(0, 20));
  assert.throws(() => FaissFlatFile.open(join(dir, 'short.index')), /short\.index: file is 20 bytes, header truncated/);
});

test('docid lists must match the vector count and have no empty lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-docid-'));
  assert.throws(() => readDocidList(join(FIX, 'docid'), 8), /docid: has 7 ids, but the vectors hold 8 rows/);
  writeFileSync(join(dir, 'ids'), 'a\r\n\r\nc\n');
  assert.throws(() => readDocidList(join(dir, 'ids')), /ids: line 2 is empty/);
  writeFileSync(join(dir, 'crlf'), 'a\r\nb\r\n');
  assert.deepEqual(readDocidList(join(dir, 'crlf')), ['a', 'b']);
});

test('.npy files of format 1.0, 2.0 and 3.0 (float32) and float16 import row by row', () => {
  for (const v of ['v1', 'v2', 'v3']) {
    const f = NpyFile.open(join(FIX, `vectors-${v}.npy`));
    assert.equal(f.dtype, 'f32');
    assert.deepEqual(rowsOf(f.readRows(0, f.count), f.dim), expected.vectors, v);
    f.close();
  }
  const h = NpyFile.open(join(FIX, 'vectors-f16.npy'));
  assert.equal(h.dtype, 'f16');
  assert.deepEqual(rowsOf(h.readRows(0, h.count), h.dim), expected.vectors_f16);
  assert.deepEqual(rowsOf(h.readRows(6, 1), h.dim), expected.vectors_f16.slice(6));
});

test('.npy files that are not 2-D little-endian C-order floats are refused naming the file', () => {
  assert.throws(() => NpyFile.open(join(FIX, 'vectors-fortran.npy')), /vectors-fortran\.npy: array is in Fortran order/);
  assert.throws(() => NpyFile.open(join(FIX, 'vectors-bigendian.npy')), /vectors-bigendian\.npy: dtype >f4 is big-endian/);
  assert.throws(() => NpyFile.open(join(FIX, 'vectors-int.npy')), /vectors-int\.npy: dtype <i8 is not float32 or float16/);
  assert.throws(() => NpyFile.open(join(FIX, 'flat-ip.index')), /flat-ip\.index: not a \.npy file/);
  const dir = mkdtempSync(join(tmpdir(), 'densekit-npy-'));
  const bytes = readFileSync(join(FIX, 'vectors-v1.npy'));
  writeFileSync(join(dir, 'cut.npy'), bytes.subarray(0, bytes.length - 1));
  assert.throws(() => NpyFile.open(join(dir, 'cut.npy')), /cut\.npy: file is 295 bytes, expected 296 for shape \(7, 6\) <f4/);
});

test('docid files are checked as a stream: count, empty lines and duplicates named by line', async () => {
  const { checkDocidList } = await import('../../src/index/import/docid-check.js');
  const { IdLineReader } = await import('../../src/files/id-list.js');
  const dir = mkdtempSync(join(tmpdir(), 'densekit-docid-stream-'));
  const path = join(dir, 'ids');
  // More than one 1 MiB read, so lines straddle chunk boundaries.
  const ids = Array.from({ length: 120_000 }, (_, i) => `doc-${i}-${'x'.repeat(i % 13)}`);
  writeFileSync(path, ids.join('\r\n'));
  checkDocidList(path, ids.length);
  const lines = new IdLineReader(path);
  const back: string[] = [];
  for (let got = lines.next(7777); got.length > 0; got = lines.next(7777)) back.push(...got);
  lines.close();
  assert.deepEqual(back, ids);
  assert.throws(() => checkDocidList(path, ids.length + 1), /ids: has 120000 ids, but the vectors hold 120001 rows/);
  writeFileSync(path, [...ids.slice(0, 70_000), ids[123]!, ...ids.slice(70_000)].join('\n') + '\n');
  assert.throws(() => checkDocidList(path, ids.length + 1), /ids:70001: duplicate document id "doc-123-xxxxxx" \(first seen at line 124\)/);
});
