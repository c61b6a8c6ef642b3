import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeWeightNames } from '../../src/checkpoint/normalize-names.js';
import type { StateDict, Tensor } from '../../src/checkpoint/tensor.js';

const t = (v: number): Tensor => ({ dtype: 'F32', shape: [1], float32: () => Float32Array.of(v) });

describe('normalizeWeightNames', () => {
  it('strips wrapper prefixes, maps DPR projections and gamma/beta, keeps the rest', () => {
    const sd: StateDict = new Map([
      ['bert.embeddings.word_embeddings.weight', t(1)],
      ['distilbert.transformer.layer.0.ffn.lin1.weight', t(2)],
      ['question_encoder.bert_model.encoder.layer.0.output.LayerNorm.gamma', t(3)],
      ['ctx_encoder.bert_model.encoder.layer.0.output.LayerNorm.beta', t(4)],
      ['span_predictor.encoder.bert_model.pooler.dense.weight', t(5)],
      ['question_encoder.encode_proj.weight', t(6)],
      ['ctx_encoder.encode_proj.bias', t(7)],
      ['cls.predictions.bias', t(8)],
      ['embeddings.LayerNorm.gamma', t(9)],
      ['encoder.layer.1.attention.self.query.weight', t(10)],
      ['some.gamma', t(11)],
    ]);
    const { weights, renamed } = normalizeWeightNames(sd);
    assert.deepEqual(
      [...weights.keys()],
      [
        'embeddings.word_embeddings.weight',
        'transformer.layer.0.ffn.lin1.weight',
        'encoder.layer.0.output.LayerNorm.weight',
        'encoder.layer.0.output.LayerNorm.bias',
        'pooler.dense.weight',
        'encode_proj.weight',
        'encode_proj.bias',
        'cls.predictions.bias',
        'embeddings.LayerNorm.weight',
        'encoder.layer.1.attention.self.query.weight',
        'some.gamma',
      ],
    );
    assert.equal(weights.get('encode_proj.bias')!.float32()[0], 7);
    assert.equal(renamed.get('encoder.layer.0.output.LayerNorm.weight'), 'question_encoder.bert_model.encoder.layer.0.output.LayerNorm.gamma');
    assert.equal(renamed.get('embeddings.LayerNorm.weight'), 'embeddings.LayerNorm.gamma');
    assert.equal(renamed.has('cls.predictions.bias'), false);
    assert.equal(renamed.size, 8);
  });

  it('refuses two keys that normalise to the same name', () => {
    const sd: StateDict = new Map([
      ['embeddings.LayerNorm.weight', t(1)],
      ['bert.embeddings.LayerNorm.gamma', t(2)],
    ]);
    assert.throws(
      () => normalizeWeightNames(sd),
      /'embeddings\.LayerNorm\.weight' and 'bert\.embeddings\.LayerNorm\.gamma' both normalise to 'embeddings\.LayerNorm\.weight'/,
    );
  });
});
