import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Encoder } from '../../src/encoder/encoder.js';
import type { Encoding } from '../../src/tokenizer/types.js';

// Parity with the Python reference (transformers 3.4.0) on the tiny golden checkpoints:
// identical input ids, and embeddings within 1e-4 absolute (fp16 weights: 1e-3).

const MODELS = 'test/fixtures/goldens/models';

interface Golden {
  inputs: Record<string, { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] }>;
  outputs: Record<string, number[]>;
  queries?: string[];
  passages?: (string | [string, string])[];
  texts?: string[];
}

function golden(name: string): Golden {
  return JSON.parse(readFileSync(`${MODELS}/${name}/expected.json`, 'utf8')) as Golden;
}

function unpadded(rows: number[][], mask: number[][]): number[][] {
  return rows.map((r, i) => r.filter((_, j) => mask[i]![j] === 1));
}

function assertIds(encodings: Encoding[], ref: Golden['inputs'][string], zeroTypes = false) {
  assert.deepEqual(encodings.map((e) => e.ids), unpadded(ref.input_ids, ref.attention_mask));
  const types = encodings.map((e) => (zeroTypes ? e.typeIds.map(() => 0) : e.typeIds));
  assert.deepEqual(types, unpadded(ref.token_type_ids, ref.attention_mask));
}

function assertClose(rows: Float32Array[], flat: number[], tol: number, what: string) {
  const dims = rows[0]!.length;
  assert.equal(rows.length * dims, flat.length, `${what}: size`);
  let worst = 0;
  rows.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - flat[i * dims + j]!)))));
  assert.ok(worst <= tol, `${what}: max abs diff ${worst} > ${tol}`);
}

const passagesOf = (g: Golden) => (g.passages as [string, string][]).map(([title, text]) => ({ title, text }));

for (const file of ['model.safetensors', 'pytorch_model.bin']) {
  test(`bert-tiny (${file}): queries CLS/mean/pooler/L2, (title, text) pairs, joined passages`, async (t) => {
    const g = golden('bert-tiny');
    // Load each weight file through a directory that holds only that one.
    const dir = await import('../support/model-dir.js').then((m) => m.modelDirWithOnly(`${MODELS}/bert-tiny`, file));
    const load = (o: Parameters<typeof Encoder.load>[1]) => Encoder.load(dir, { preset: 'none', ...o });

    const cls = await load({ query: { maxLength: 32 }, passage: { maxLength: 144, passageFormat: 'pair' } });
    assertIds(g.queries!.map((q) => cls.tokenizeQuery(q)), g.inputs.queries!);
    assertIds(passagesOf(g).map((p) => cls.tokenizePassage(p)), g.inputs.passages!);
    assertClose(await cls.encodeQueries(g.queries!), g.outputs.queries_cls!, 1e-4, 'queries_cls');
    assertClose(await cls.encodePassages(passagesOf(g)), g.outputs.passages_cls!, 1e-4, 'passages_cls');
    await cls.dispose();

    const l2 = await load({ both: { normalize: true }, query: { maxLength: 32 }, passage: { maxLength: 144 } });
    assertClose(await l2.encodeQueries(g.queries!), g.outputs.queries_cls_l2!, 1e-4, 'queries_cls_l2');
    assertClose(await l2.encodePassages(passagesOf(g)), g.outputs.passages_cls_l2!, 1e-4, 'passages_cls_l2');
    await l2.dispose();

    const mean = await load({ both: { pooling: 'mean' }, query: { maxLength: 32 } });
    assertClose(await mean.encodeQueries(g.queries!), g.outputs.queries_mean!, 1e-4, 'queries_mean');
    await mean.dispose();

    const pooler = await load({ both: { pooling: 'pooler' }, query: { maxLength: 32 } });
    assertClose(await pooler.encodeQueries(g.queries!), g.outputs.queries_pooler_output!, 1e-4, 'queries_pooler_output');
    await pooler.dispose();

    const join = await load({ passage: { maxLength: 256, passageFormat: 'join' } });
    assertIds(passagesOf(g).map((p) => join.tokenizePassage(p)), g.inputs.passages_join_256!);
    assertClose(await join.encodePassages(passagesOf(g)), g.outputs.passages_join_cls_256!, 1e-4, 'passages_join_cls_256');
    await join.dispose();
    t.diagnostic(`parity holds for ${file}`);
  });
}

test('simlm preset on bert-tiny: (title or "-", text) pairs ≤ 144, CLS then L2', async () => {
  const g = golden('bert-tiny');
  const enc = await Encoder.load(`${MODELS}/bert-tiny`, { preset: 'simlm' });
  assertClose(await enc.encodeQueries(g.queries!), g.outputs.queries_cls_l2!, 1e-4, 'queries');
  assert.equal(enc.settings.similarity, 'cosine');
  await enc.dispose();
});

test('distilbert-tiny: TAS-B conventions (CLS, queries ≤ 30, passages text-only ≤ 200, dot scores)', async () => {
  const g = golden('distilbert-tiny');
  const enc = await Encoder.load(`${MODELS}/distilbert-tiny`, { preset: 'tas-b' });
  const passages = (g.passages as string[]).map((text) => ({ text }));
  assertIds(g.queries!.map((q) => enc.tokenizeQuery(q)), g.inputs.queries!);
  assertIds(passages.map((p) => enc.tokenizePassage(p)), g.inputs.passages!);
  const q = await enc.encodeQueries(g.queries!);
  const p = await enc.encodePassages(passages);
  assertClose(q, g.outputs.queries_cls!, 1e-4, 'queries_cls');
  assertClose(p, g.outputs.passages_cls!, 1e-4, 'passages_cls');
  const scores = q.map((qv) => Float32Array.from(p.map((pv) => qv.reduce((s, x, j) => s + x * pv[j]!, 0))));
  assertClose(scores, g.outputs.scores_dot!, 1e-3, 'scores_dot');
  await enc.dispose();
});

test('dpr-question-tiny (legacy .bin): pooler_output, picked by model_type dpr', async () => {
  const g = golden('dpr-question-tiny');
  const enc = await Encoder.load(`${MODELS}/dpr-question-tiny`);
  assert.equal(enc.source.preset, 'dpr');
  assertIds(g.queries!.map((q) => enc.tokenizeQuery(q)), g.inputs.batch!, true);
  assertClose(await enc.encodeQueries(g.queries!), g.outputs.pooler_output!, 1e-4, 'pooler_output');
  await enc.dispose();
});

test('dpr-question-proj-tiny: encode_proj applied after CLS (projection_dim 16)', async () => {
  const g = golden('dpr-question-proj-tiny');
  const enc = await Encoder.load(`${MODELS}/dpr-question-proj-tiny`);
  assert.equal(enc.dims, 16);
  assertClose(await enc.encodeQueries(g.queries!), g.outputs.pooler_output!, 1e-4, 'pooler_output');
  await enc.dispose();
});

test('dpr-ctx-tiny: title [SEP] text with all-zero token types (DPR), and with 0/1 types', async () => {
  const g = golden('dpr-ctx-tiny');
  const passages = passagesOf(g);
  const dpr = await Encoder.load(`${MODELS}/dpr-ctx-tiny`);
  assertIds(passages.map((p) => dpr.tokenizePassage(p)), g.inputs.batch!);
  assertClose(await dpr.encodePassages(passages), g.outputs.pooler_output_token_types_zero!, 1e-4, 'types zero');
  await dpr.dispose();
  const keep = await Encoder.load(`${MODELS}/dpr-ctx-tiny`, { both: { tokenTypes: 'keep' } });
  assertClose(await keep.encodePassages(passages), g.outputs.pooler_output!, 1e-4, 'types 0/1');
  await keep.dispose();
});

test('st-bert-tiny-fp16: sentence-transformers modules (CLS, max_seq_length 24), fp16 weights', async () => {
  const g = golden('st-bert-tiny-fp16');
  const enc = await Encoder.load(`${MODELS}/st-bert-tiny-fp16`);
  assert.equal(enc.settings.query.maxLength, 24);
  assert.equal(enc.settings.query.pooling, 'cls');
  assertIds(g.texts!.map((t) => enc.tokenizeQuery(t)), g.inputs.texts!);
  assertClose(await enc.encodeQueries(g.texts!), g.outputs.embeddings!, 1e-3, 'embeddings');
  await enc.dispose();
});

test('an old-layout sentence-transformers repo (transformer in 0_BERT/) encodes like the current layout', async () => {
  const g = golden('st-bert-tiny-fp16');
  const { mkdtempSync, cpSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const src = `${MODELS}/st-bert-tiny-fp16`;
  const dir = mkdtempSync(join(tmpdir(), 'densekit-st-old-'));
  mkdirSync(join(dir, '0_BERT'));
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'sentence_bert_config.json']) {
    cpSync(join(src, f), join(dir, '0_BERT', f));
  }
  cpSync(join(src, '1_Pooling'), join(dir, '1_Pooling'), { recursive: true });
  writeFileSync(
    join(dir, 'modules.json'),
    JSON.stringify([
      { idx: 0, name: '0', path: '0_BERT', type: 'sentence_transformers.models.BERT' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ]),
  );
  const enc = await Encoder.load(dir);
  assert.equal(enc.settings.query.maxLength, 24);
  assertClose(await enc.encodeQueries(g.texts!), g.outputs.embeddings!, 1e-3, 'embeddings');
  await enc.dispose();
});
