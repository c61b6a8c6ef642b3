import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckpoint, normalizeWeightNames } from '../../src/checkpoint/index.js';
import type { StateDict, Tensor } from '../../src/checkpoint/tensor.js';
import { TransformerModel } from '../../src/model/runtime.js';
import type { TokenBatch } from '../../src/model/types.js';
import { MODELS } from './golden-batch.js';

const DIR = `${MODELS}/bert-tiny`;

async function weights(): Promise<StateDict> {
  return normalizeWeightNames(await loadCheckpoint(DIR)).weights;
}

function batchOf(seqLen: number, mask?: number[]): TokenBatch {
  return {
    batchSize: 1,
    seqLen,
    inputIds: new Int32Array(seqLen).fill(101),
    attentionMask: mask ? Int32Array.from(mask) : new Int32Array(seqLen).fill(1),
    tokenTypeIds: new Int32Array(seqLen),
  };
}

test('missing weights are all listed, with the checkpoint path', async () => {
  const sd = await weights();
  sd.delete('encoder.layer.1.attention.self.key.weight');
  sd.delete('embeddings.LayerNorm.bias');
  await assert.rejects(TransformerModel.load(DIR, { weights: sd, threads: 1 }), (e: Error) => {
    assert.match(e.message, /bert-tiny/);
    assert.match(e.message, /missing 2 weight\(s\)/);
    assert.match(e.message, /embeddings\.LayerNorm\.bias/);
    assert.match(e.message, /encoder\.layer\.1\.attention\.self\.key\.weight/);
    return true;
  });
});

test('a weight shaped differently from the config is named with both shapes', async () => {
  const sd = await weights();
  const name = 'encoder.layer.0.intermediate.dense.weight';
  const real = sd.get(name)!;
  const wrong: Tensor = { dtype: 'F32', shape: [32, 64], float32: () => real.float32() };
  sd.set(name, wrong);
  await assert.rejects(
    TransformerModel.load(DIR, { weights: sd, threads: 1 }),
    /encoder\.layer\.0\.intermediate\.dense\.weight has shape \[32, 64\], expected \[64, 32\]/,
  );
});

test('bad batches are rejected before they reach the runtime', async () => {
  const model = await TransformerModel.load(DIR, { threads: 1 });
  try {
    await assert.rejects(model.forward(batchOf(513)), /sequence length 513 exceeds the model's max_position_embeddings \(512\)/);
    await assert.rejects(model.forward(batchOf(4, [0, 1, 1, 1])), /not right-padded|no real tokens/);
    await assert.rejects(model.forward(batchOf(4, [1, 0, 1, 0])), /row 0 is not right-padded/);
    await assert.rejects(model.forward({ ...batchOf(3), inputIds: Int32Array.of(101, 5000, 102) }), /input id 5000 .* outside the vocabulary/);
    await assert.rejects(model.forward({ ...batchOf(3), tokenTypeIds: Int32Array.of(0, 2, 0) }), /token type 2/);
    await assert.rejects(model.forward({ ...batchOf(3), attentionMask: new Int32Array(2) }), /attentionMask has 2 values, expected/);
    // The full length is fine.
    const out = await model.forward(batchOf(512));
    assert.equal(out.data.length, 512 * 32);
  } finally {
    await model.dispose();
  }
});

test('unused weights are listed on stderr only when DENSEKIT_DEBUG is set', async () => {
  const sd = await weights();
  const written: string[] = [];
  const original = process.stderr.write;
  const previous = process.env.DENSEKIT_DEBUG;
  process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    delete process.env.DENSEKIT_DEBUG;
    await (await TransformerModel.load(DIR, { weights: sd, threads: 1 })).dispose();
    assert.equal(written.filter((w) => w.includes('not used')).length, 0);
    process.env.DENSEKIT_DEBUG = '1';
    await (await TransformerModel.load(DIR, { weights: sd, threads: 1 })).dispose();
  } finally {
    process.stderr.write = original;
    if (previous === undefined) delete process.env.DENSEKIT_DEBUG;
    else process.env.DENSEKIT_DEBUG = previous;
  }
  const line = written.find((w) => w.includes('not used'));
  assert.ok(line, 'debug line written');
  for (const name of ['embeddings.position_ids', 'pooler.dense.weight', 'pooler.dense.bias']) assert.ok(line.includes(name), name);
});
