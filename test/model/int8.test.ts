import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckpoint, normalizeWeightNames } from '../../src/checkpoint/index.js';
import { TransformerModel } from '../../src/model/runtime.js';
import type { HiddenStates } from '../../src/model/types.js';
import { MODELS, readGolden, toBatch } from './golden-batch.js';

// int8 dynamic quantisation keeps the vectors a retriever uses (CLS and mean of real tokens) at
// cosine ≥ 0.999 to float32, with full 8-bit weights and with the 7-bit reduce_range path.
const DIR = `${MODELS}/bert-tiny`;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Per row: the CLS vector and the mean over real tokens. */
function pooled(h: HiddenStates, mask: Int32Array): Float32Array[] {
  const out: Float32Array[] = [];
  const H = h.hiddenSize;
  for (let b = 0; b < h.batchSize; b++) {
    const rowStart = b * h.seqLen * H;
    out.push(h.data.slice(rowStart, rowStart + H));
    const mean = new Float32Array(H);
    let n = 0;
    for (let s = 0; s < h.seqLen; s++) {
      if (mask[b * h.seqLen + s] !== 1) continue;
      n++;
      for (let k = 0; k < H; k++) mean[k] = mean[k]! + h.data[rowStart + s * H + k]!;
    }
    out.push(mean.map((v) => v / n));
  }
  return out;
}

test('int8 (8-bit and 7-bit weights) stays within cosine 0.999 of float32 on bert-tiny', async () => {
  const ref = readGolden('bert-tiny');
  const weights = normalizeWeightNames(await loadCheckpoint(DIR)).weights;
  const fp32 = await TransformerModel.load(DIR, { threads: 1, weights });
  for (const input of ['queries', 'passages', 'passages_join_256']) {
    const batch = toBatch(ref.inputs[input]!);
    const expected = pooled(await fp32.forward(batch), batch.attentionMask);
    for (const bits of [8, 7] as const) {
      const int8 = await TransformerModel.load(DIR, { threads: 1, quantize: 'int8', int8WeightBits: bits, weights });
      const actual = pooled(await int8.forward(batch), batch.attentionMask);
      const worst = Math.min(...actual.map((v, i) => cosine(v, expected[i]!)));
      assert.ok(worst >= 0.999, `${input}, ${bits}-bit weights: worst cosine ${worst}`);
      await int8.dispose();
    }
  }
  await fp32.dispose();
});

test('int8 rejects unknown quantize values', async () => {
  await assert.rejects(TransformerModel.load(DIR, { quantize: 'int4' as 'int8' }), /quantize must be 'none' or 'int8', got "int4"/);
});
