import { test } from 'node:test';
import assert from 'node:assert/strict';
import pkg from 'onnx-proto';
import { normalizeWeightNames, readSafetensors } from '../../src/checkpoint/index.js';
import { readModelConfig } from '../../src/model/config.js';
import { buildModelGraph } from '../../src/model/graph/build.js';
import type { TransformerConfig } from '../../src/model/types.js';
import { MODELS } from './golden-batch.js';

const { onnx } = pkg;

async function opCounts(config: TransformerConfig, quantize: 'none' | 'int8' = 'none') {
  const weights = normalizeWeightNames(await readSafetensors(`${MODELS}/bert-tiny/model.safetensors`)).weights;
  const model = onnx.ModelProto.decode(buildModelGraph(config, weights, { quantize, int8WeightBits: 7 }));
  const counts: Record<string, number> = {};
  for (const n of model.graph!.node!) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType!;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { model, counts };
}

test('the BERT graph is built from the fused contrib ops (residual LayerNorms unfused: faster on CPU), with symbolic batch and sequence dims', async () => {
  const config = await readModelConfig(`${MODELS}/bert-tiny`);
  const { model, counts } = await opCounts(config);
  assert.deepEqual(counts, {
    'com.microsoft.EmbedLayerNormalization': 1,
    'com.microsoft.Attention': 2,
    LayerNormalization: 4,
    Add: 8,
    'com.microsoft.BiasGelu': 2,
    MatMul: 6,
    Identity: 1,
  });
  const g = model.graph!;
  assert.deepEqual(g.input!.map((i) => i.name), ['input_ids', 'attention_mask', 'token_type_ids']);
  assert.deepEqual(g.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam), ['batch', 'sequence']);
  assert.deepEqual(g.output!.map((o) => o.name), ['last_hidden_state']);
  assert.deepEqual(model.opsetImport!.map((o) => [o.domain, Number(o.version)]), [['', 17], ['com.microsoft', 1]]);
});

test('activations map to FastGelu (tanh GELU) and Relu', async () => {
  const config = await readModelConfig(`${MODELS}/bert-tiny`);
  assert.equal((await opCounts({ ...config, activation: 'gelu_new' })).counts['com.microsoft.FastGelu'], 2);
  const relu = (await opCounts({ ...config, activation: 'relu' })).counts;
  assert.equal(relu.Relu, 2);
  assert.equal(relu['com.microsoft.BiasGelu'], undefined);
});

test('the int8 graph quantises every projection', async () => {
  const config = await readModelConfig(`${MODELS}/bert-tiny`);
  const { counts } = await opCounts(config, 'int8');
  assert.equal(counts['com.microsoft.QAttention'], 2);
  assert.equal(counts['com.microsoft.DynamicQuantizeMatMul'], 6);
  assert.equal(counts.MatMul, undefined);
  assert.equal(counts['com.microsoft.Attention'], undefined);
});
