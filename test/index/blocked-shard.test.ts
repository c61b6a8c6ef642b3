import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorShardWriter } from '../../src/index/formats/shard-writer.js';
import { VectorShardReader } from '../../src/index/formats/shard-reader.js';
import { blockedShardBytes } from '../../src/index/formats/shard-format.js';
import { roundHalfUp } from '../../src/index/formats/row-codec.js';
import type { VectorDType } from '../../src/index/formats/vector-types.js';

// Version 2 (blocked) shards: layout, the block table, and refusals at open and at first read.

const tmp = () => mkdtempSync(join(tmpdir(), 'densekit-blocked-'));

function rows(n: number, dim: number): Float32Array {
  let s = 7;
  return new Float32Array(n * dim).map((_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * (1 + (Math.floor(i / dim) % 5));
  });
}

function write(path: string, dtype: VectorDType, data: Float32Array, dim: number, version: 1 | 2, blockRows = 7) {
  const w = new VectorShardWriter(path, { dtype, dim, version, blockRows, bufferBytes: 5 * dim });
  const n = data.length / dim;
  for (let r = 0; r < n; r += 3) w.append(data.subarray(r * dim, Math.min(n, r + 3) * dim)); // pieces that straddle blocks
  return w.finish();
}

for (const dtype of ['f32', 'f16', 'int8'] as const) {
  test(`${dtype}: blocked shards decode to exactly what version 1 shards decode to`, () => {
    const dir = tmp();
    const dim = 13, n = 45; // odd dim: padding inside blocks; 45 = 6 blocks of 7 + one of 3
    const data = rows(n, dim);
    write(join(dir, 'v1.dkv'), dtype, data, dim, 1);
    const summary = write(join(dir, 'v2.dkv'), dtype, data, dim, 2);
    assert.equal(summary.bytes, blockedShardBytes(dtype, dim, 7, n));
    assert.equal(statSync(join(dir, 'v2.dkv')).size, summary.bytes);
    const v1 = VectorShardReader.open(join(dir, 'v1.dkv'));
    const v2 = VectorShardReader.open(join(dir, 'v2.dkv'), { sha256: summary.sha256 });
    assert.equal(v2.version, 2);
    assert.equal(v2.blockCount, 7);
    assert.equal(v2.rowsInBlock(6), 3);
    assert.deepEqual(v2.readRows(0, n), v1.readRows(0, n));
    assert.deepEqual(v2.readRows(5, 17), v1.readRows(5, 17));
    // The block table's norms are the largest norms of the decoded rows of each block.
    const all = v1.readRows(0, n);
    for (let b = 0; b < 7; b++) {
      let max = 0;
      for (let r = b * 7; r < Math.min(n, b * 7 + 7); r++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += all[r * dim + j]! ** 2;
        max = Math.max(max, Math.sqrt(s));
      }
      assert.equal(v2.blockMaxNorm(b), max);
    }
    v2.checkAllBlocks();
    v1.close();
    v2.close();
  });
}

test('blocked shards: truncation, a cut block, a damaged block table or header are refused at open', () => {
  const dir = tmp();
  const path = join(dir, 'b.dkv');
  const dim = 4;
  write(path, 'int8', rows(20, dim), dim, 2, 8);
  const bytes = readFileSync(path);
  truncateSync(path, bytes.length - 3);
  assert.throws(() => VectorShardReader.open(path), /b\.dkv: trailer missing/);
  // Blocks of 8 int8 rows × 4 dims are 32 code bytes + 32 scale bytes: cut the second block out.
  writeFileSync(path, Buffer.concat([bytes.subarray(0, 64 + 64), bytes.subarray(64 + 128)]));
  assert.throws(() => VectorShardReader.open(path), /b\.dkv: file is \d+ bytes but header and trailer say 20 rows in blocks of 8 \(\d+ bytes\)/);
  const table = Buffer.from(bytes);
  table[bytes.length - 16 - 3 * 16 + 9]! ^= 0x20; // a byte of block 0's recorded norm
  writeFileSync(path, table);
  assert.throws(() => VectorShardReader.open(path), /b\.dkv: block table checksum mismatch/);
  const header = Buffer.from(bytes);
  header.writeUInt32LE(0, 20);
  writeFileSync(path, header);
  assert.throws(() => VectorShardReader.open(path), /b\.dkv: blockRows is 0/);
  header.writeUInt32LE(3, 4);
  writeFileSync(path, header);
  assert.throws(() => VectorShardReader.open(path), /b\.dkv: unsupported shard version 3 \(this densekit reads versions 1 and 2\)/);
});

test('blocked shards: a damaged block opens (nothing is read at open) and is refused at its first read', () => {
  const dir = tmp();
  const path = join(dir, 'd.dkv');
  const dim = 6;
  write(path, 'f16', rows(30, dim), dim, 2, 10);
  const bytes = readFileSync(path);
  bytes[64 + 10 * 12 + 5]! ^= 0x08; // block 1 (rows 10..19), 12 bytes per f16 row
  writeFileSync(path, bytes);
  const r = VectorShardReader.open(path);
  assert.equal(r.readRows(0, 10).length, 10 * dim);
  assert.equal(r.readRows(20, 10).length, 10 * dim);
  assert.throws(() => r.readRows(15, 1), /d\.dkv: block 1 \(rows 10\.\.19\) is corrupt: crc32 [0-9a-f]+, the block table says [0-9a-f]+/);
  assert.throws(() => r.checkAllBlocks(), /block 1 \(rows 10\.\.19\) is corrupt/);
  r.close();
});

test('int8 encoding rounds exactly as Math.round does (halves up), including just below a half', () => {
  const halves = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 126.5, -126.5, 0.49999999999999994, -0.49999999999999994, 1.4999999999999998, 0, -0];
  let s = 11;
  const random = Array.from({ length: 20000 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const q = (s / 2 ** 32 - 0.5) * 300;
    return [q, Math.floor(q) + 0.5, (Math.floor(q) + 0.5) * (1 - Number.EPSILON)];
  }).flat();
  for (const q of [...halves, ...random]) assert.equal(roundHalfUp(q) + 0, Math.round(q) + 0, `q = ${q}`);
});
