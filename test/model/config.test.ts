import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelConfig } from '../../src/model/config.js';
import { MODELS } from './golden-batch.js';

function dirWithConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-config-'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

const bertConfig = () => JSON.parse(readFileSync(`${MODELS}/bert-tiny/config.json`, 'utf8')) as Record<string, unknown>;

test('reads a BertModel config', async () => {
  const c = await readModelConfig(`${MODELS}/bert-tiny`);
  assert.deepEqual(c, {
    arch: 'bert', modelType: 'bert', architectures: ['BertModel'], vocabSize: 5000, hiddenSize: 32, numLayers: 2,
    numHeads: 4, intermediateSize: 64, maxPositions: 512, typeVocabSize: 2, layerNormEps: 1e-12, activation: 'gelu', projectionDim: 0,
  });
});

test('reads a DistilBertModel config (dim, n_layers, n_heads, hidden_dim; no token types)', async () => {
  const c = await readModelConfig(`${MODELS}/distilbert-tiny`);
  assert.equal(c.arch, 'distilbert');
  assert.deepEqual([c.hiddenSize, c.numLayers, c.numHeads, c.intermediateSize, c.typeVocabSize, c.layerNormEps, c.activation], [32, 2, 4, 64, 0, 1e-12, 'gelu']);
});

test('reads DPR configs: role from architectures, projection_dim', async () => {
  const q = await readModelConfig(`${MODELS}/dpr-question-proj-tiny`);
  assert.deepEqual([q.arch, q.modelType, q.dprRole, q.projectionDim], ['bert', 'dpr', 'question', 16]);
  const ctx = await readModelConfig(`${MODELS}/dpr-ctx-tiny`);
  assert.deepEqual([ctx.dprRole, ctx.projectionDim], ['context', 0]);
  const reader = await readModelConfig(dirWithConfig({ ...bertConfig(), model_type: 'dpr', architectures: ['DPRReader'] }));
  assert.equal(reader.dprRole, 'reader');
});

test('infers model_type from architectures in old configs', async () => {
  const raw = bertConfig();
  delete raw.model_type;
  assert.equal((await readModelConfig(dirWithConfig(raw))).arch, 'bert');
});

test('missing config.json names the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-config-'));
  await assert.rejects(readModelConfig(dir), (e: Error) => e.message.includes(join(dir, 'config.json')));
});

test('unknown model_type is named with the supported list', async () => {
  await assert.rejects(readModelConfig(dirWithConfig({ ...bertConfig(), model_type: 'roberta', architectures: ['RobertaModel'] })), /unsupported model_type "roberta"; supported: bert, distilbert, dpr/);
});

test('unknown architecture is named with the supported list', async () => {
  await assert.rejects(readModelConfig(dirWithConfig({ ...bertConfig(), architectures: ['GPT2Model'] })), /unsupported architecture "GPT2Model".*BertModel/);
  await assert.rejects(
    readModelConfig(dirWithConfig({ ...bertConfig(), model_type: 'dpr', architectures: ['DPRSpanPredictor'] })),
    /unsupported architecture "DPRSpanPredictor".*DPRQuestionEncoder, DPRContextEncoder, DPRReader/,
  );
});

test('missing or invalid fields are named', async () => {
  const raw = bertConfig();
  delete raw.num_attention_heads;
  await assert.rejects(readModelConfig(dirWithConfig(raw)), /missing required field "num_attention_heads"/);
  await assert.rejects(readModelConfig(dirWithConfig({ ...bertConfig(), hidden_act: 'swish' })), /unsupported hidden_act "swish"/);
  await assert.rejects(readModelConfig(dirWithConfig({ ...bertConfig(), num_attention_heads: 5 })), /not divisible/);
  await assert.rejects(readModelConfig(dirWithConfig('{"model_type": ')), /config\.json: not valid JSON/);
});
