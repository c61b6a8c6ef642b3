import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findWeightFile, loadCheckpoint, normalizeWeightNames } from '../../src/checkpoint/index.js';
import type { StateDict } from '../../src/checkpoint/tensor.js';
import { encodeSafetensors } from './safetensors-writer.js';
import { encodeTorchZip, floatTensors } from './torch-writer.js';

const MODELS = 'test/fixtures/goldens/models';

function assertSameWeights(a: StateDict, b: StateDict) {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, t] of a) {
    const u = b.get(name)!;
    assert.deepEqual(u.shape, t.shape, name);
    assert.deepEqual(u.float32(), t.float32(), name);
  }
}

describe('loadCheckpoint', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'densekit-ckpt-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('loads every golden model and normalises it to bare BERT/DistilBERT names', async () => {
    const models = await readdir(MODELS);
    assert.ok(models.length >= 6);
    for (const model of models) {
      const raw = await loadCheckpoint(join(MODELS, model));
      const { weights } = normalizeWeightNames(raw);
      const body = model.startsWith('distilbert') ? 'transformer.layer.1.ffn.lin2.weight' : 'encoder.layer.1.output.dense.weight';
      assert.ok(weights.has(body), `${model}: no ${body}`);
      assert.ok(weights.has('embeddings.word_embeddings.weight'), model);
      assert.deepEqual(weights.get('embeddings.word_embeddings.weight')!.shape, [5000, 32], model);
      for (const [name, t] of weights) {
        if (t.dtype === 'I64') continue;
        assert.ok(t.float32().every(Number.isFinite), `${model}: ${name} has non-finite values`);
      }
      if (model === 'dpr-question-proj-tiny') assert.deepEqual(weights.get('encode_proj.weight')!.shape, [16, 32]);
    }
  });

  it('prefers model.safetensors over pytorch_model.bin', async () => {
    assert.equal(await findWeightFile(join(MODELS, 'bert-tiny')), join(MODELS, 'bert-tiny/model.safetensors'));
    assert.equal(await findWeightFile(join(MODELS, 'distilbert-tiny')), join(MODELS, 'distilbert-tiny/pytorch_model.bin'));
  });

  it('names the directory and the files looked for when there is none', async () => {
    const dir = join(tmp, 'empty');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await assert.rejects(loadCheckpoint(dir), (e: Error) => {
      assert.match(e.message, new RegExp(`^${dir}: no weight file found`));
      for (const f of ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json']) {
        assert.ok(e.message.includes(f), f);
      }
      return true;
    });
  });

  describe('sharded checkpoints built from bert-tiny', () => {
    let reference: StateDict;
    let halves: [string[], string[]];
    before(async () => {
      reference = await loadCheckpoint(join(MODELS, 'bert-tiny'));
      const names = [...reference.keys()];
      halves = [names.slice(0, 17), names.slice(17)];
    });

    const weightMap = (parts: readonly string[][], files: [string, string]) =>
      JSON.stringify({
        metadata: { total_size: 0 },
        weight_map: Object.fromEntries(parts.flatMap((names, i) => names.map((n) => [n, files[i]]))),
      });

    it('model.safetensors.index.json', async () => {
      const dir = join(tmp, 'st-sharded');
      await mkdir(dir, { recursive: true });
      const files: [string, string] = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
      for (let i = 0; i < 2; i++) {
        const part = new Map(
          halves[i]!.map((n) => {
            const t = reference.get(n)!;
            const data = t.dtype === 'I64' ? BigInt64Array.from(t.float32(), (v) => BigInt(v)) : t.float32().slice();
            return [n, { dtype: t.dtype, shape: t.shape, data: new Uint8Array(data.buffer) }];
          }),
        );
        await writeFile(join(dir, files[i]!), encodeSafetensors(part, { format: 'pt' }));
      }
      await writeFile(join(dir, 'model.safetensors.index.json'), weightMap(halves, files));
      const sd = await loadCheckpoint(dir);
      assertSameWeights(reference, sd);
      assert.equal(sd.get('embeddings.position_ids')!.dtype, 'I64');

      await rm(join(dir, files[1]));
      await assert.rejects(loadCheckpoint(dir), /model\.safetensors\.index\.json: shard file\(s\) listed in weight_map are missing from .*: model-00002-of-00002\.safetensors/);
    });

    it('pytorch_model.bin.index.json', async () => {
      const dir = join(tmp, 'bin-sharded');
      await mkdir(dir, { recursive: true });
      const files: [string, string] = ['pytorch_model-00001-of-00002.bin', 'pytorch_model-00002-of-00002.bin'];
      const floats = halves.map((names) => names.filter((n) => reference.get(n)!.dtype === 'F32'));
      for (let i = 0; i < 2; i++) {
        const { tensors, storages } = floatTensors(
          new Map(floats[i]!.map((n) => [n, { shape: [...reference.get(n)!.shape], data: reference.get(n)!.float32() }])),
        );
        await writeFile(join(dir, files[i]!), encodeTorchZip(tensors, storages));
      }
      await writeFile(join(dir, 'pytorch_model.bin.index.json'), weightMap(floats, files));
      const sd = await loadCheckpoint(dir);
      const expected = new Map([...reference].filter(([, t]) => t.dtype === 'F32'));
      assertSameWeights(expected, sd);

      // A tensor the map names but the shard lacks.
      const index = JSON.parse(weightMap(floats, files));
      index.weight_map['extra.weight'] = files[0];
      await writeFile(join(dir, 'pytorch_model.bin.index.json'), JSON.stringify(index));
      await assert.rejects(loadCheckpoint(dir), /pytorch_model-00001-of-00002\.bin: tensor 'extra\.weight' listed in .* is not in this shard/);

      await writeFile(join(dir, 'pytorch_model.bin.index.json'), '{"weight_map": ');
      await assert.rejects(loadCheckpoint(dir), /pytorch_model\.bin\.index\.json: not valid JSON/);
    });

    it('a single model.safetensors wins over a shard index beside it', async () => {
      const dir = join(tmp, 'both');
      await mkdir(dir, { recursive: true });
      await copyFile(join(MODELS, 'bert-tiny/model.safetensors'), join(dir, 'model.safetensors'));
      await writeFile(join(dir, 'model.safetensors.index.json'), '{"weight_map": {"a": "missing.safetensors"}}');
      assertSameWeights(reference, await loadCheckpoint(dir));
    });
  });
});
