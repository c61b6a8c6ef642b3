import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync, truncateSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorShardWriter } from '../../src/index/formats/shard-writer.js';
import { VectorShardReader } from '../../src/index/formats/shard-reader.js';
import { VectorStore } from '../../src/index/formats/vector-store.js';
import { float32ToFloat16Bits, FLOAT16_TABLE } from '../../src/checkpoint/float16.js';
import type { VectorDType } from '../../src/index/formats/vector-types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'densekit-shard-'));

function writeShard(path: string, dtype: VectorDType, rows: Float32Array, dim: number, bufferBytes?: number, version?: 1 | 2) {
  const w = new VectorShardWriter(path, { dtype, dim, bufferBytes, version });
  // Append in uneven pieces to cross buffer boundaries.
  const n = rows.length / dim;
  for (let r = 0; r < n; r += 7) w.append(rows.subarray(r * dim, Math.min(n, r + 7) * dim));
  return w.finish();
}

test('f32 shards round-trip exactly, streamed through a small buffer', () => {
  const dir = tmp();
  const dim = 13, n = 101;
  const next = rng(1);
  const rows = new Float32Array(dim * n).map(() => next() * 10);
  const summary = writeShard(join(dir, 'a.dkv'), 'f32', rows, dim, 200);
  assert.equal(summary.count, n);
  assert.equal(summary.sha256, createHash('sha256').update(readFileSync(join(dir, 'a.dkv'))).digest('hex'));
  const r = VectorShardReader.open(join(dir, 'a.dkv'), { sha256: summary.sha256, count: n, dim, dtype: 'f32' });
  assert.deepEqual(r.readRows(0, n), rows);
  assert.deepEqual(r.readRows(50, 3), rows.slice(50 * dim, 53 * dim));
  r.close();
});

test('f16 shards round-trip to the nearest binary16 and refuse values beyond its range', () => {
  const dir = tmp();
  const dim = 5;
  const rows = new Float32Array([1, -2.5, 65504, 1e-8, 0.1, 3.14159, -0, 6e-5, 1 / 3, 2048.5]);
  writeShard(join(dir, 'h.dkv'), 'f16', rows, dim);
  const got = VectorShardReader.open(join(dir, 'h.dkv')).readRows(0, 2);
  const expected = [1, -2.5, 65504, 0, 0.0999755859375, 3.140625, -0, 1007 * 2 ** -24, 0.333251953125, 2048];
  assert.deepEqual(Array.from(got), expected);
  // Every binary16 value survives f32 → f16 → f32 unchanged.
  for (let h = 0; h < 65536; h++) {
    const v = FLOAT16_TABLE[h]!;
    if (Number.isNaN(v)) continue;
    assert.equal(FLOAT16_TABLE[float32ToFloat16Bits(v)], v);
  }
  const w = new VectorShardWriter(join(dir, 'big.dkv'), { dtype: 'f16', dim: 2 });
  assert.throws(() => w.append(new Float32Array([1, 70000])), /big\.dkv.*row 0.*f16 range/);
  assert.deepEqual(readdirSync(dir).sort(), ['h.dkv'], 'the failed writer leaves no temp file');
});

test('int8 shards keep each component within half a step of its per-vector scale', () => {
  const dir = tmp();
  const dim = 32, n = 40;
  const next = rng(2);
  const rows = new Float32Array(dim * n).map((_, i) => next() * (1 + Math.floor(i / dim)));
  writeShard(join(dir, 'q.dkv'), 'int8', rows, dim);
  const got = VectorShardReader.open(join(dir, 'q.dkv')).readRows(0, n);
  for (let r = 0; r < n; r++) {
    let maxAbs = 0;
    for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(rows[r * dim + j]!));
    const step = maxAbs / 127;
    for (let j = 0; j < dim; j++) assert.ok(Math.abs(got[r * dim + j]! - rows[r * dim + j]!) <= step / 2 + 1e-6 * maxAbs);
  }
});

test('non-finite values are refused with the shard row', () => {
  const dir = tmp();
  const w = new VectorShardWriter(join(dir, 'n.dkv'), { dtype: 'f32', dim: 2 });
  w.append(new Float32Array([1, 2]));
  assert.throws(() => w.append(new Float32Array([3, NaN])), /n\.dkv: shard row 1: component 1 is NaN/);
});

test('the final name appears only at finish; abort leaves nothing', () => {
  const dir = tmp();
  const path = join(dir, 's.dkv');
  const w = new VectorShardWriter(path, { dtype: 'f32', dim: 1 });
  w.append(new Float32Array([1, 2, 3]));
  assert.equal(existsSync(path), false);
  w.finish();
  assert.equal(existsSync(path), true);
  const w2 = new VectorShardWriter(join(dir, 't.dkv'), { dtype: 'f32', dim: 1 });
  w2.append(new Float32Array([1]));
  w2.abort();
  assert.deepEqual(readdirSync(dir), ['s.dkv']);
});

test('missing, truncated, corrupt and foreign version 1 shards are refused with an error naming the shard', () => {
  const dir = tmp();
  const path = join(dir, 'c.dkv');
  const summary = writeShard(path, 'f32', new Float32Array(40).fill(0.5), 4, undefined, 1);
  assert.throws(() => VectorShardReader.open(join(dir, 'missing.dkv')), /missing\.dkv: cannot open \(ENOENT\)/);
  const bytes = readFileSync(path);
  // One flipped bit in a row: sizes still agree, only the checksum tells.
  const flipped = Buffer.from(bytes);
  flipped[100]! ^= 1;
  writeFileSync(path, flipped);
  assert.throws(() => VectorShardReader.open(path, { sha256: summary.sha256 }), /c\.dkv: checksum mismatch/);
  writeFileSync(path, bytes);
  truncateSync(path, bytes.length - 20);
  assert.throws(() => VectorShardReader.open(path), /c\.dkv: trailer missing/);
  // Cut exactly one row out of the middle but keep the trailer: the size no longer matches the count.
  writeFileSync(path, Buffer.concat([bytes.subarray(0, 64), bytes.subarray(80)]));
  assert.throws(() => VectorShardReader.open(path), /c\.dkv: file is 224 bytes but header and trailer say 10 rows of 16 bytes \(240 bytes\)/);
  writeFileSync(path, Buffer.concat([Buffer.from('NOPE'), bytes.subarray(4)]));
  assert.throws(() => VectorShardReader.open(path), /c\.dkv: bad magic/);
  writeFileSync(path, bytes);
  assert.throws(() => VectorShardReader.open(path, { count: 11 }), /c\.dkv: holds 10 rows, expected 11/);
});

test('a vector store reads rows across shards in order and checks recorded checksums', () => {
  const dir = tmp();
  const dim = 3;
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([7, 8, 9]);
  const sa = writeShard(join(dir, 'a.dkv'), 'f32', a, dim);
  writeShard(join(dir, 'e.dkv'), 'f32', new Float32Array(0), dim);
  const sb = writeShard(join(dir, 'b.dkv'), 'f32', b, dim);
  const store = VectorStore.open(dir, [{ file: 'a.dkv', sha256: sa.sha256 }, 'e.dkv', { file: 'b.dkv', sha256: sb.sha256, count: 1 }]);
  assert.equal(store.count, 3);
  assert.deepEqual(Array.from(store.readRows(0, 3)), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(store.readRows(1, 2)), [4, 5, 6, 7, 8, 9]);
  store.close();
  writeShard(join(dir, 'd.dkv'), 'f32', new Float32Array(4), 4);
  assert.throws(() => VectorStore.open(dir, ['a.dkv', 'd.dkv']), /d\.dkv: f32 × 4 does not match .*a\.dkv \(f32 × 3\)/);
  assert.throws(() => VectorStore.open(dir, [{ file: 'b.dkv', sha256: sa.sha256 }]), /b\.dkv: checksum mismatch/);
});
