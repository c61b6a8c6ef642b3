import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransformerModel } from '../../src/model/runtime.js';
import { modelDirWithOnly } from '../support/model-dir.js';
import { clsRows, maxAbsDiff, MODELS, readGolden, toBatch } from './golden-batch.js';

// Parity of the ONNX forward pass with the PyTorch reference (transformers 3.4.0) on the tiny
// goldens, which store outputs at every position, padded ones included.
const TOL = 1e-4;

async function checkLastHiddenState(dir: string, golden: string): Promise<void> {
  const ref = readGolden(golden);
  const model = await TransformerModel.load(dir, { threads: 1 });
  try {
    const batch = toBatch(ref.inputs.queries!);
    const out = await model.forward(batch);
    assert.deepEqual([out.batchSize, out.seqLen, out.hiddenSize], ref.outputs.queries_shape);
    const diff = maxAbsDiff(out.data, ref.outputs.queries_last_hidden_state!);
    assert.ok(diff <= TOL, `${golden}: max abs diff ${diff}`);
  } finally {
    await model.dispose();
  }
}

test('bert-tiny last_hidden_state from model.safetensors matches the reference', async () => {
  await checkLastHiddenState(modelDirWithOnly(`${MODELS}/bert-tiny`, 'model.safetensors'), 'bert-tiny');
});

test('bert-tiny last_hidden_state from pytorch_model.bin matches the reference', async () => {
  await checkLastHiddenState(modelDirWithOnly(`${MODELS}/bert-tiny`, 'pytorch_model.bin'), 'bert-tiny');
});

test('distilbert-tiny last_hidden_state and passage CLS match the reference', async () => {
  await checkLastHiddenState(`${MODELS}/distilbert-tiny`, 'distilbert-tiny');
  const ref = readGolden('distilbert-tiny');
  const model = await TransformerModel.load(`${MODELS}/distilbert-tiny`, { threads: 1 });
  try {
    const batch = toBatch(ref.inputs.passages!);
    const out = await model.forward(batch);
    const diff = maxAbsDiff(clsRows(out.data, out.batchSize, out.seqLen, out.hiddenSize), ref.outputs.passages_cls!);
    assert.ok(diff <= TOL, `passages_cls: max abs diff ${diff}`);
  } finally {
    await model.dispose();
  }
});

test('bert-tiny pair batches (token types 0/1) give the reference CLS', async () => {
  const ref = readGolden('bert-tiny');
  const model = await TransformerModel.load(`${MODELS}/bert-tiny`, { threads: 1 });
  try {
    for (const [input, output] of [['passages', 'passages_cls'], ['passages_join_256', 'passages_join_cls_256']] as const) {
      const out = await model.forward(toBatch(ref.inputs[input]!));
      const diff = maxAbsDiff(clsRows(out.data, out.batchSize, out.seqLen, out.hiddenSize), ref.outputs[output]!);
      assert.ok(diff <= TOL, `${output}: max abs diff ${diff}`);
    }
  } finally {
    await model.dispose();
  }
});

// DPR's pooler_output is last_hidden_state[:, 0] when projection_dim is 0.
for (const name of ['dpr-ctx-tiny', 'dpr-question-tiny']) {
  test(`${name}: CLS rows equal the reference pooler_output (pair and all-zero token types)`, async () => {
    const ref = readGolden(name);
    const model = await TransformerModel.load(`${MODELS}/${name}`, { threads: 1 });
    try {
      assert.equal(model.config.projectionDim, 0);
      assert.equal(model.config.dprRole, name.includes('ctx') ? 'context' : 'question');
      for (const [zeroTypes, output] of [[false, 'pooler_output'], [true, 'pooler_output_token_types_zero']] as const) {
        const out = await model.forward(toBatch(ref.inputs.batch!, zeroTypes));
        const diff = maxAbsDiff(clsRows(out.data, out.batchSize, out.seqLen, out.hiddenSize), ref.outputs[output]!);
        assert.ok(diff <= TOL, `${name} ${output}: max abs diff ${diff}`);
      }
    } finally {
      await model.dispose();
    }
  });
}

test('dpr-question-proj-tiny loads and exposes encode_proj for the encoder', async () => {
  const model = await TransformerModel.load(`${MODELS}/dpr-question-proj-tiny`, { threads: 1 });
  try {
    assert.equal(model.config.projectionDim, 16);
    assert.deepEqual(model.weights.get('encode_proj.weight')?.shape, [16, 32]);
    const ref = readGolden('dpr-question-proj-tiny');
    const out = await model.forward(toBatch(ref.inputs.batch!));
    assert.equal(out.data.length, out.batchSize * out.seqLen * 32);
    assert.ok(out.data.every(Number.isFinite));
  } finally {
    await model.dispose();
  }
});

test('st-bert-tiny-fp16 (fp16 safetensors) gives the reference CLS embeddings within 1e-3', async () => {
  const ref = readGolden('st-bert-tiny-fp16');
  const model = await TransformerModel.load(`${MODELS}/st-bert-tiny-fp16`, { threads: 1 });
  try {
    const out = await model.forward(toBatch(ref.inputs.texts!));
    const diff = maxAbsDiff(clsRows(out.data, out.batchSize, out.seqLen, out.hiddenSize), ref.outputs.embeddings!);
    assert.ok(diff <= 1e-3, `embeddings: max abs diff ${diff}`);
  } finally {
    await model.dispose();
  }
});
