import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '../../src/encoder/encoder.js';
import { EncoderPair } from '../../src/encoder/encoder-pair.js';
import { pairedQueryModel, presetForHubId } from '../../src/encoder/presets.js';

// Two-encoder retrievers (DPR, RDR): which side a checkpoint is, known pairs, and refusals.

const MODELS = 'test/fixtures/goldens/models';
const CTX = `${MODELS}/dpr-ctx-tiny`;
const QUESTION = `${MODELS}/dpr-question-tiny`;
const tmp = mkdtempSync(join(tmpdir(), 'densekit-pair-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the model directory `src` whose config.json is `config`. */
function copyWithConfig(src: string, name: string, config: Record<string, unknown>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(src)) if (f !== 'config.json') copyFileSync(join(src, f), join(dir, f));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

test('known context encoders name their question encoders, as preset data', () => {
  assert.equal(pairedQueryModel('facebook/dpr-ctx_encoder-single-nq-base'), 'facebook/dpr-question_encoder-single-nq-base');
  assert.equal(pairedQueryModel('facebook/dpr-ctx_encoder-multiset-base'), 'facebook/dpr-question_encoder-multiset-base');
  assert.equal(pairedQueryModel('soheeyang/rdr-ctx_encoder-single-nq-base@main'), 'soheeyang/rdr-question_encoder-single-nq-base');
  assert.equal(pairedQueryModel('SoheeYang/RDR-ctx_encoder-single-trivia-base'), 'soheeyang/rdr-question_encoder-single-trivia-base');
  assert.equal(pairedQueryModel('facebook/dpr-question_encoder-single-nq-base'), undefined);
  assert.equal(pairedQueryModel('sebastian-hofstaetter/distilbert-dot-tas_b-b256-msmarco'), undefined);
  assert.equal(presetForHubId('soheeyang/rdr-question_encoder-single-trivia-base')?.name, 'rdr');
});

test('the DPR side comes from config.json architectures', async () => {
  const ctx = await Encoder.load(CTX);
  const question = await Encoder.load(QUESTION);
  const plain = await Encoder.load(`${MODELS}/bert-tiny`);
  try {
    assert.equal(ctx.trainedFor, 'passage');
    assert.equal(question.trainedFor, 'query');
    assert.equal(plain.trainedFor, undefined);
  } finally {
    await Promise.all([ctx.dispose(), question.dispose(), plain.dispose()]);
  }
});

test('the DPR side comes from ctx_encoder./question_encoder. weight names when the config is a plain BERT one', async () => {
  const config = JSON.parse(readFileSync(`${CTX}/config.json`, 'utf8')) as Record<string, unknown>;
  const { projection_dim: _unused, ...rest } = config;
  const bertConfig = { ...rest, model_type: 'bert', architectures: ['BertModel'] };
  const dir = copyWithConfig(CTX, 'ctx-as-bert', bertConfig);
  const qdir = copyWithConfig(QUESTION, 'question-as-bert', bertConfig);
  const ctx = await Encoder.load(dir, { preset: 'dpr' });
  const question = await Encoder.load(qdir, { preset: 'dpr' });
  try {
    assert.equal(ctx.trainedFor, 'passage');
    assert.equal(question.trainedFor, 'query');
    assert.throws(() => EncoderPair.of(ctx), /ctx-as-bert is a DPR context encoder: it encodes passages only\. .*--query-model/);
  } finally {
    await Promise.all([ctx.dispose(), question.dispose()]);
  }
});

test('a context encoder alone, a question encoder on passages, and a context encoder on queries are refused', async () => {
  const ctx = await Encoder.load(CTX);
  const question = await Encoder.load(QUESTION);
  try {
    assert.throws(() => EncoderPair.of(ctx), /dpr-ctx-tiny is a DPR context encoder: it encodes passages only\. Name the question encoder .* by --query-model/);
    assert.throws(() => EncoderPair.of(question), /dpr-question-tiny is a DPR question encoder: it encodes queries, not passages\. .*--query-model/);
    assert.throws(() => EncoderPair.of(question, ctx), /is a DPR question encoder/);
    assert.throws(() => EncoderPair.of(ctx, ctx), /context encoder/);
  } finally {
    await Promise.all([ctx.dispose(), question.dispose()]);
  }
  await assert.rejects(EncoderPair.load(CTX), /--query-model/);
  await assert.rejects(EncoderPair.load(QUESTION, CTX), /is a DPR question encoder/);
});

test('a pair encodes queries with the question encoder and passages with the context encoder, each as the reference does', async () => {
  const qg = JSON.parse(readFileSync(`${QUESTION}/expected.json`, 'utf8')) as { queries: string[]; outputs: { pooler_output_token_types_zero: number[] } };
  const cg = JSON.parse(readFileSync(`${CTX}/expected.json`, 'utf8')) as { passages: [string, string][]; outputs: { pooler_output_token_types_zero: number[] } };
  const pair = await EncoderPair.load(CTX, QUESTION);
  try {
    assert.equal(pair.querySource?.model, QUESTION);
    assert.equal(pair.source.model, CTX);
    assert.equal(pair.settings.passage.tokenTypes, 'zero');
    const close = (rows: Float32Array[], flat: number[], what: string) => {
      let worst = 0;
      rows.forEach((r, i) => r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - flat[i * r.length + j]!)))));
      assert.ok(worst <= 1e-4, `${what}: max abs diff ${worst}`);
    };
    close(await pair.encodeQueries(qg.queries), qg.outputs.pooler_output_token_types_zero, 'queries');
    close(await pair.encodePassages(cg.passages.map(([title, text]) => ({ title, text }))), cg.outputs.pooler_output_token_types_zero, 'passages');
  } finally {
    await pair.dispose();
  }
});
