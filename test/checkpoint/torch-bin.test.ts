import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readSafetensors } from '../../src/checkpoint/safetensors.js';
import { parseTorchCheckpoint, readTorchCheckpoint } from '../../src/checkpoint/torch-file.js';
import { contiguous, encodeTorchLegacy, encodeTorchZip, type TorchStorage, type TorchTensorSpec } from './torch-writer.js';

const MODELS = 'test/fixtures/goldens/models';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** One shared F32 storage of 0..11, viewed three ways (offset, transposed strides, a scalar). */
function sharedStorage(): { tensors: Map<string, TorchTensorSpec>; storages: Map<string, TorchStorage> } {
  const data = Float32Array.from({ length: 12 }, (_, i) => i);
  const storages = new Map<string, TorchStorage>([
    ['7', { type: 'FloatStorage', numel: 12, data: new Uint8Array(data.buffer) }],
    ['8', { type: 'HalfStorage', numel: 2, data: Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]) }], // 1.0, -2.0
  ]);
  const tensors = new Map<string, TorchTensorSpec>([
    ['whole', { storage: '7', storageType: 'FloatStorage', offset: 0, shape: [3, 4], stride: contiguous([3, 4]) }],
    ['tail', { storage: '7', storageType: 'FloatStorage', offset: 6, shape: [2, 3], stride: [3, 1] }],
    ['transposed', { storage: '7', storageType: 'FloatStorage', offset: 0, shape: [4, 3], stride: [1, 4] }],
    ['scalar', { storage: '7', storageType: 'FloatStorage', offset: 5, shape: [], stride: [] }],
    ['half', { storage: '8', storageType: 'HalfStorage', offset: 0, shape: [2], stride: [1] }],
  ]);
  return { tensors, storages };
}

function checkShared(sd: Map<string, { float32(): Float32Array; shape: readonly number[]; dtype: string }>) {
  assert.deepEqual([...sd.get('whole')!.float32()], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual([...sd.get('tail')!.float32()], [6, 7, 8, 9, 10, 11]);
  assert.deepEqual([...sd.get('transposed')!.float32()], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  assert.deepEqual(sd.get('transposed')!.shape, [4, 3]);
  assert.deepEqual([...sd.get('scalar')!.float32()], [5]);
  assert.equal(sd.get('half')!.dtype, 'F16');
  assert.deepEqual([...sd.get('half')!.float32()], [1, -2]);
}

describe('torch .bin checkpoints', () => {
  it('bert-tiny zip .bin is bit-identical to its safetensors', async () => {
    const bin = await readTorchCheckpoint(join(MODELS, 'bert-tiny/pytorch_model.bin'));
    const st = await readSafetensors(join(MODELS, 'bert-tiny/model.safetensors'));
    assert.deepEqual([...bin.keys()].sort(), [...st.keys()].sort());
    for (const [name, t] of st) {
      const b = bin.get(name)!;
      assert.equal(b.dtype, t.dtype, name);
      assert.deepEqual(b.shape, t.shape, name);
      assert.ok(sameBits(b.float32(), t.float32()), `${name} differs`);
    }
    // Zip storages are 64-byte aligned: F32 tensors are views of the file buffer, not copies.
    const w = bin.get('embeddings.word_embeddings.weight')!;
    assert.equal(w.float32().buffer, w.float32().buffer);
  });

  it('reads the legacy-format dpr-question-tiny', async () => {
    const sd = await readTorchCheckpoint(join(MODELS, 'dpr-question-tiny/pytorch_model.bin'));
    assert.equal(sd.size, 40);
    const word = sd.get('question_encoder.bert_model.embeddings.word_embeddings.weight')!;
    assert.equal(word.dtype, 'F32');
    assert.deepEqual(word.shape, [5000, 32]);
    const values = word.float32();
    assert.equal(values.length, 160000);
    assert.ok(values.every(Number.isFinite));
    const ids = sd.get('question_encoder.bert_model.embeddings.position_ids')!;
    assert.equal(ids.dtype, 'I64');
    assert.equal(ids.float32()[300], 300);
    const ln = sd.get('question_encoder.bert_model.encoder.layer.1.output.LayerNorm.weight')!.float32();
    assert.equal(ln.length, 32);
  });

  it('honours storage offset, strides, shared storages and storage dtypes (zip and legacy)', () => {
    const { tensors, storages } = sharedStorage();
    checkShared(parseTorchCheckpoint(encodeTorchZip(tensors, storages), 'shared.bin'));
    checkShared(parseTorchCheckpoint(encodeTorchLegacy(tensors, storages), 'shared-legacy.bin'));
  });

  it('resolves legacy storage views (the persistent id\'s view_metadata)', () => {
    const { tensors, storages } = sharedStorage();
    // Elements 2..9 of storage '7' as view 'v', and a [2, 2] tensor at offset 1 within that view.
    tensors.set('in-view', { storage: '7', storageType: 'FloatStorage', offset: 1, shape: [2, 2], stride: [4, 1], view: { key: 'v', offset: 2, size: 8 } });
    const sd = parseTorchCheckpoint(encodeTorchLegacy(tensors, storages), 'views.bin');
    assert.deepEqual([...sd.get('in-view')!.float32()], [3, 4, 7, 8]);
    checkShared(sd);
    tensors.set('bad-view', { storage: '7', storageType: 'FloatStorage', offset: 0, shape: [1], stride: [1], view: { key: 'w', offset: 10, size: 8 } });
    assert.throws(() => parseTorchCheckpoint(encodeTorchLegacy(tensors, storages), 'views.bin'), /views\.bin: storage view \["w",10,8\] does not fit storage '7'/);
  });

  it('reads ZIP64 central directories', () => {
    const { tensors, storages } = sharedStorage();
    checkShared(parseTorchCheckpoint(encodeTorchZip(tensors, storages, { zip64: true }), 'zip64.bin'));
  });

  it('rejects a tensor that reads past its storage', () => {
    const { tensors, storages } = sharedStorage();
    tensors.set('bad', { storage: '7', storageType: 'FloatStorage', offset: 10, shape: [3], stride: [1] });
    assert.throws(() => parseTorchCheckpoint(encodeTorchZip(tensors, storages), 'past.bin'), /past\.bin.*reads past its storage '7' of 12 elements/);
  });

  describe('rejects damaged files, naming the file', () => {
    it('truncated zip .bin', async () => {
      const bytes = await readFile(join(MODELS, 'bert-tiny/pytorch_model.bin'));
      for (const cut of [bytes.length - 10, Math.floor(bytes.length / 2), 100]) {
        assert.throws(() => parseTorchCheckpoint(bytes.subarray(0, cut), 'cut.bin'), /^Error: cut\.bin: invalid zip archive: .*truncated/);
      }
    });
    it('zip whose central directory points past the end', () => {
      const { tensors, storages } = sharedStorage();
      const bytes = Buffer.from(encodeTorchZip(tensors, storages));
      const eocd = bytes.length - 22;
      bytes.writeUInt32LE(bytes.length + 100, eocd + 16);
      assert.throws(() => parseTorchCheckpoint(bytes, 'cd.bin'), /cd\.bin: invalid zip archive: central directory at byte \d+ runs past the end/);
    });
    it('compressed zip entries', () => {
      const { tensors, storages } = sharedStorage();
      const bytes = Buffer.from(encodeTorchZip(tensors, storages));
      const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      bytes.writeUInt16LE(8, cd + 10); // deflate
      assert.throws(() => parseTorchCheckpoint(bytes, 'deflate.bin'), /deflate\.bin: .*entry 'archive\/data\.pkl' is compressed \(method 8\)/);
    });
    it('truncated legacy .bin', async () => {
      const bytes = await readFile(join(MODELS, 'dpr-question-tiny/pytorch_model.bin'));
      assert.throws(() => parseTorchCheckpoint(bytes.subarray(0, bytes.length - 1), 'old.bin'), /old\.bin: storage '\d+' needs \d+ bytes .* \(truncated\?\)/);
      assert.throws(() => parseTorchCheckpoint(bytes.subarray(0, 3000), 'old.bin'), /old\.bin: pickle data ends unexpectedly .*truncated/);
    });
    it('a file that is no checkpoint', () => {
      assert.throws(() => parseTorchCheckpoint(Buffer.from('hello world'), 'text.bin'), /text\.bin: not a torch checkpoint/);
    });
    it('a pickle whose top level is not a state dict', () => {
      const { tensors, storages } = sharedStorage();
      const pickle = Uint8Array.from([0x80, 0x02, 0x5d, 0x2e]); // []
      assert.throws(() => parseTorchCheckpoint(encodeTorchZip(tensors, storages, { pickle }), 'list.bin'), /list\.bin: .*not hold a state dict/);
    });
  });
});
