import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSafetensors, readSafetensors } from '../../src/checkpoint/safetensors.js';
import { assemble, encodeSafetensors, f32Bytes } from './safetensors-writer.js';

const MODELS = 'test/fixtures/goldens/models';

describe('safetensors', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'densekit-st-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads bert-tiny: F32 weights as zero-copy views, I64 position_ids as values', async () => {
    const sd = await readSafetensors(join(MODELS, 'bert-tiny/model.safetensors'));
    const word = sd.get('embeddings.word_embeddings.weight')!;
    assert.equal(word.dtype, 'F32');
    assert.deepEqual(word.shape, [5000, 32]);
    const a = word.float32();
    assert.equal(a.length, 5000 * 32);
    assert.equal(word.float32().buffer, a.buffer, 'F32 data should be a view of the file buffer');
    const ids = sd.get('embeddings.position_ids')!;
    assert.equal(ids.dtype, 'I64');
    assert.deepEqual(ids.shape, [1, 512]);
    assert.deepEqual([...ids.float32().subarray(0, 4)], [0, 1, 2, 3]);
    assert.equal(ids.float32()[511], 511);
  });

  it('converts F16 (st-bert-tiny-fp16) to float32 within fp16 rounding of the fp32 weights', async () => {
    const half = await readSafetensors(join(MODELS, 'st-bert-tiny-fp16/model.safetensors'));
    const full = await readSafetensors(join(MODELS, 'bert-tiny/model.safetensors'));
    let compared = 0;
    for (const [name, t] of half) {
      if (t.dtype !== 'F16') continue;
      const ref = full.get(name);
      assert.ok(ref, `${name} missing from bert-tiny`);
      assert.deepEqual(t.shape, ref.shape);
      const h = t.float32();
      const f = ref.float32();
      for (let i = 0; i < f.length; i++) {
        // fp16 keeps 11 significant bits: relative error ≤ 2^-11, plus subnormal spacing near 0.
        const tol = Math.abs(f[i]!) * 2 ** -11 + 2 ** -24;
        if (Math.abs(h[i]! - f[i]!) > tol) assert.fail(`${name}[${i}]: fp16 ${h[i]} vs fp32 ${f[i]}`);
      }
      compared++;
    }
    assert.ok(compared >= 30, `compared only ${compared} F16 tensors`);
  });

  it('converts BF16 and keeps integer dtypes', () => {
    const values = [1, -2.5, 3.140625, 0, -0, 65280, 1e-3];
    const f32 = Float32Array.from(values);
    const bits = new Uint32Array(f32.buffer);
    const bf = new Uint16Array(values.length);
    for (let i = 0; i < bits.length; i++) bf[i] = bits[i]! >>> 16; // truncation: exact for the first six
    const ints = new BigInt64Array([-3n, 0n, 7n, -1234567n]);
    const bytes = encodeSafetensors(
      new Map([
        ['w', { dtype: 'BF16', shape: [values.length], data: new Uint8Array(bf.buffer) }],
        ['ids', { dtype: 'I64', shape: [2, 2], data: new Uint8Array(ints.buffer) }],
        ['flags', { dtype: 'BOOL', shape: [3], data: Uint8Array.from([1, 0, 1]) }],
        ['empty', { dtype: 'F32', shape: [0, 4], data: new Uint8Array(0) }],
      ]),
      { format: 'pt' },
    );
    const sd = parseSafetensors(bytes, 'bf16.safetensors');
    const w = sd.get('w')!.float32();
    assert.deepEqual([...w.subarray(0, 6)], [1, -2.5, 3.140625, 0, -0, 65280]);
    assert.ok(Math.abs(w[6]! - 1e-3) < 1e-3 * 2 ** -7);
    assert.equal(sd.get('ids')!.dtype, 'I64');
    assert.deepEqual([...sd.get('ids')!.float32()], [-3, 0, 7, -1234567]);
    assert.deepEqual([...sd.get('flags')!.float32()], [1, 0, 1]);
    assert.equal(sd.get('empty')!.float32().length, 0);
  });

  it('copies F32 data that is not 4-byte aligned', () => {
    // A 1-byte U8 tensor first pushes the F32 tensor off alignment.
    const bytes = encodeSafetensors(
      new Map([
        ['pad', { dtype: 'U8', shape: [1], data: Uint8Array.from([9]) }],
        ['w', { dtype: 'F32', shape: [3], data: f32Bytes([1.5, -2, 4]) }],
      ]),
    );
    const sd = parseSafetensors(bytes, 'unaligned.safetensors');
    assert.deepEqual([...sd.get('w')!.float32()], [1.5, -2, 4]);
    assert.deepEqual([...sd.get('pad')!.float32()], [9]);
  });

  describe('rejects bad files with the file and tensor named', () => {
    const good = () =>
      encodeSafetensors(
        new Map([
          ['a', { dtype: 'F32', shape: [2], data: f32Bytes([1, 2]) }],
          ['b', { dtype: 'F32', shape: [1], data: f32Bytes([3]) }],
        ]),
      );
    const parse = (bytes: Uint8Array) => () => parseSafetensors(bytes, 'bad.safetensors');

    it('file shorter than the length field', () => {
      assert.throws(parse(Uint8Array.from([1, 2, 3])), /bad\.safetensors: .*too short/);
    });
    it('truncated data', async () => {
      const bytes = good();
      const path = join(tmp, 'truncated.safetensors');
      await writeFile(path, bytes.subarray(0, bytes.length - 2));
      await assert.rejects(readSafetensors(path), (e: Error) => {
        assert.match(e.message, /truncated\.safetensors/);
        assert.match(e.message, /tensor 'b' ends at data byte 12 but the file holds only 10/);
        return true;
      });
    });
    it('header length beyond the file', () => {
      const bytes = good();
      new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(0, 1n << 40n, true);
      assert.throws(parse(bytes), /bad\.safetensors: .*header length 1099511627776 runs past the end of the file/);
    });
    it('corrupt JSON header', () => {
      assert.throws(parse(assemble('{"a": {"dtype": "F32", ', [])), /bad\.safetensors: .*not valid UTF-8 JSON/);
    });
    it('non-object header', () => {
      assert.throws(parse(assemble('[1,2]', [])), /bad\.safetensors: .*header is not a JSON object/);
    });
    it('unknown dtype', () => {
      const h = { a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } };
      assert.throws(parse(assemble(JSON.stringify(h), [new Uint8Array(2)])), /tensor 'a': unsupported dtype 'F8_E4M3'/);
    });
    it('overlapping offsets', () => {
      const h = {
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      };
      assert.throws(parse(assemble(JSON.stringify(h), [new Uint8Array(12)])), /bad\.safetensors: .*tensor 'b' .*overlaps tensor 'a'/);
    });
    it('gapped offsets', () => {
      const h = {
        a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
      };
      assert.throws(parse(assemble(JSON.stringify(h), [new Uint8Array(12)])), /bad\.safetensors: .*gap of 4 bytes .*before tensor 'b'/);
    });
    it('bytes after the last tensor', () => {
      const h = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
      assert.throws(parse(assemble(JSON.stringify(h), [new Uint8Array(8)])), /4 bytes after the last tensor/);
    });
    it('shape that does not match the byte span', () => {
      const h = { a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } };
      assert.throws(
        parse(assemble(JSON.stringify(h), [new Uint8Array(8)])),
        /bad\.safetensors: .*tensor 'a': shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/,
      );
    });
    it('malformed entry fields', () => {
      const h = { a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } };
      assert.throws(parse(assemble(JSON.stringify(h), [new Uint8Array(4)])), /tensor 'a': shape \[-1\] is not a list/);
      const h2 = { a: { dtype: 'F32', shape: [1], data_offsets: [0] } };
      assert.throws(parse(assemble(JSON.stringify(h2), [new Uint8Array(4)])), /tensor 'a': data_offsets \[0\] is not \[begin, end\]/);
      const h3 = { __metadata__: { format: 3 } };
      assert.throws(parse(assemble(JSON.stringify(h3), [])), /__metadata__ value for 'format' is not a string/);
    });
  });
});
