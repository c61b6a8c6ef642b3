import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePostings, encodePostings } from '../../src/sparse/postings-codec.js';

test('postings codec: round trip, including large gaps and frequencies', () => {
  const offsets = Uint32Array.from([0, 3, 3, 5]);
  const docs = Uint32Array.from([0, 7, 300_000, 2, 4_000_000_000]);
  const freqs = Uint32Array.from([1, 200, 3, 70_000, 1]);
  const bytes = encodePostings(offsets, docs, freqs);
  const decoded = decodePostings(bytes, offsets, 4_000_000_001, 32, 'test');
  assert.deepEqual(decoded.docs, docs);
  assert.deepEqual(decoded.freqs, freqs);
  // Small gaps and frequencies take one byte each.
  assert.equal(encodePostings(Uint32Array.from([0, 2]), Uint32Array.from([0, 1]), Uint16Array.from([1, 2])).length, 4);
});

test('postings codec: damaged bytes are reported with the file named', () => {
  const offsets = Uint32Array.from([0, 2]);
  const bytes = encodePostings(offsets, Uint32Array.from([0, 5]), Uint16Array.from([1, 1]));
  assert.throws(() => decodePostings(bytes.slice(0, 3), offsets, 10, 16, 'x.postings.bin'), /x\.postings\.bin: truncated/);
  assert.throws(() => decodePostings(Uint8Array.from([...bytes, 1]), offsets, 10, 16, 'x.postings.bin'), /trailing bytes/);
  assert.throws(() => decodePostings(bytes, offsets, 3, 16, 'x.postings.bin'), /invalid posting 1 \(document 5/);
});
