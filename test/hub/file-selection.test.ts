import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp, selectByPatterns, selectEncoderFiles, type RepoListing } from '../../src/hub/file-selection.js';

function listing(files: string[], json: Record<string, unknown> = {}): RepoListing & { read: string[] } {
  const read: string[] = [];
  return {
    files,
    read,
    async readJson(path) {
      read.push(path);
      if (!(path in json)) throw new Error(`test listing: no JSON for ${path}`);
      return json[path];
    },
  };
}

const TOKENIZER = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

test('a transformers repo: config, tokenizer, safetensors; no TF/Flax/ONNX/pickle duplicates or extras', async () => {
  const files = [
    '.gitattributes', 'README.md', 'config.json', ...TOKENIZER, 'model.safetensors', 'pytorch_model.bin',
    'tf_model.h5', 'flax_model.msgpack', 'rust_model.ot', 'onnx/model.onnx', 'openvino/openvino_model.bin',
  ];
  const selection = await selectEncoderFiles(listing(files));
  assert.deepEqual(selection, { files: ['config.json', 'model.safetensors', ...TOKENIZER].sort(), missing: [] });
});

test('sharded checkpoints: the index and every shard it names; safetensors shards before pickle', async () => {
  const index = { weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors', 'c.weight': 'model-00001-of-00002.safetensors' } };
  const files = ['config.json', 'vocab.txt', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'pytorch_model.bin'];
  const l = listing(files, { 'model.safetensors.index.json': index });
  const selection = await selectEncoderFiles(l);
  assert.deepEqual(selection.files, ['config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'vocab.txt']);
  assert.deepEqual(l.read, ['model.safetensors.index.json']);

  const binIndex = { weight_map: { x: 'pytorch_model-00001-of-00002.bin', y: 'pytorch_model-00002-of-00002.bin' } };
  const missingShard = await selectEncoderFiles(listing(['config.json', 'vocab.txt', 'pytorch_model.bin.index.json', 'pytorch_model-00001-of-00002.bin'], { 'pytorch_model.bin.index.json': binIndex }));
  assert.deepEqual(missingShard.missing, ['pytorch_model-00002-of-00002.bin (a shard named by pytorch_model.bin.index.json)']);
  await assert.rejects(
    selectEncoderFiles(listing(['config.json', 'vocab.txt', 'model.safetensors.index.json'], { 'model.safetensors.index.json': { metadata: {} } })),
    /model\.safetensors\.index\.json: no "weight_map" object/,
  );
});

test('sentence-transformers: the modules named by modules.json, Dense weights included, Normalize needs no files', async () => {
  const modules = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    { idx: 2, name: '2', path: '2_Dense', type: 'sentence_transformers.models.Dense' },
    { idx: 3, name: '3', path: '3_Normalize', type: 'sentence_transformers.models.Normalize' },
  ];
  const files = [
    'modules.json', 'sentence_bert_config.json', 'config_sentence_transformers.json', 'config.json', 'vocab.txt', 'tokenizer.json',
    'model.safetensors', 'pytorch_model.bin', '1_Pooling/config.json', '2_Dense/config.json', '2_Dense/model.safetensors',
    '2_Dense/pytorch_model.bin', 'onnx/model.onnx', 'unrelated_folder/config.json',
  ];
  const selection = await selectEncoderFiles(listing(files, { 'modules.json': modules }));
  assert.deepEqual(selection, {
    files: [
      '1_Pooling/config.json', '2_Dense/config.json', '2_Dense/model.safetensors', 'config.json', 'config_sentence_transformers.json',
      'model.safetensors', 'modules.json', 'sentence_bert_config.json', 'tokenizer.json', 'vocab.txt',
    ],
    missing: [],
  });
});

test('old sentence-transformers layout: the transformer lives in 0_BERT/', async () => {
  const modules = [
    { path: '0_BERT', type: 'sentence_transformers.models.BERT' },
    { path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ];
  const files = ['modules.json', '0_BERT/config.json', '0_BERT/vocab.txt', '0_BERT/pytorch_model.bin', '0_BERT/sentence_bert_config.json', '1_Pooling/config.json'];
  const selection = await selectEncoderFiles(listing(files, { 'modules.json': modules }));
  assert.deepEqual(selection, { files: [...files].sort(), missing: [] });
});

test('what an encoder cannot do without is reported, by path', async () => {
  const selection = await selectEncoderFiles(listing(['README.md', 'tf_model.h5']));
  assert.deepEqual(selection.missing, [
    'config.json (the model config)',
    'vocab.txt or tokenizer.json (the tokenizer)',
    'model.safetensors or pytorch_model.bin (the model weights)',
  ]);
  await assert.rejects(
    selectEncoderFiles(listing(['modules.json', 'config.json'], { 'modules.json': [{ path: 1, type: 'x' }] })),
    /modules\.json: module \[0\] needs string "path" and "type" fields/,
  );
});

test('explicit patterns follow huggingface_hub allow_patterns (fnmatch)', () => {
  const files = ['config.json', 'onnx/model.onnx', 'onnx/config.json', '1_Pooling/config.json', 'model.safetensors'];
  assert.deepEqual(selectByPatterns(files, ['*.json']).files, ['1_Pooling/config.json', 'config.json', 'onnx/config.json']);
  assert.deepEqual(selectByPatterns(files, ['onnx/']).files, ['onnx/config.json', 'onnx/model.onnx']);
  assert.deepEqual(selectByPatterns(files, ['model.safetensors', 'nope.bin']), { files: ['model.safetensors'], missing: ['nope.bin (matches no file)'] });
  assert.ok(globToRegExp('model-0000[1-2]-of-?.bin').test('model-00002-of-3.bin'));
  assert.ok(!globToRegExp('config.json').test('configxjson'));
});
