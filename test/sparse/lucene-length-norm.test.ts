import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LENGTH_TABLE, lengthToNormByte, normByteToLength } from '../../src/sparse/lucene-length-norm.js';

test('length norm: exact below 24, then rounded down to 4 significant bits (SmallFloat.intToByte4)', () => {
  for (let n = 0; n < 24; n++) assert.equal(normByteToLength(lengthToNormByte(n)), n);
  assert.equal(lengthToNormByte(40), 40);
  assert.equal(normByteToLength(40), 40);
  assert.equal(lengthToNormByte(300), 72);
  assert.equal(normByteToLength(72), 280);
  assert.equal(normByteToLength(255), 2013265944);
  assert.equal(lengthToNormByte(2 ** 31 - 1), 255);
});

test('length norm: every byte round-trips, decoding never overshoots, and the table is increasing', () => {
  for (let b = 0; b < 256; b++) assert.equal(lengthToNormByte(normByteToLength(b)), b);
  for (let n = 0; n < 5000; n++) assert.ok(normByteToLength(lengthToNormByte(n)) <= n);
  for (let b = 1; b < 256; b++) assert.ok(LENGTH_TABLE[b]! > LENGTH_TABLE[b - 1]!);
});

test('length norm: rejects negative and fractional lengths', () => {
  assert.throws(() => lengthToNormByte(-1), /field length/);
  assert.throws(() => lengthToNormByte(1.5), /field length/);
});
