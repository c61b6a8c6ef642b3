// A BERT-base-sized model folder with deterministic random weights (config.json, model.safetensors and
// the real bert-base-uncased vocab.txt from the fixtures), so encoder benchmarks run through the whole
// Encoder (tokenizer, model, pooling) without a downloaded checkpoint. Written once, then reused.
import { copyFileSync, existsSync, mkdirSync, openSync, closeSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedBodyShapes } from '../src/model/layout.js';
import { parseModelConfig } from '../src/model/config.js';

export const BERT_BASE_CONFIG = {
  model_type: 'bert',
  architectures: ['BertModel'],
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_act: 'gelu',
};

const VOCAB = new URL('../../test/fixtures/goldens/tokenizer/bert-base-uncased/vocab.txt', import.meta.url);

/** Returns the folder, writing it on first use (about 440 MB). */
export function randomBertBaseDir(dir = join(tmpdir(), 'densekit-bench-bert-base')): string {
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  mkdirSync(dir, { recursive: true });
  const config = parseModelConfig(BERT_BASE_CONFIG, 'bench config');
  const shapes = [...expectedBodyShapes(config)];
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of shapes) {
    const bytes = 4 * shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const tmp = join(dir, 'model.safetensors.tmp');
  const fd = openSync(tmp, 'w');
  writeSync(fd, length);
  writeSync(fd, json);
  let state = 0x9e3779b9;
  for (const [name, shape] of shapes) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNormWeight = /LayerNorm\.weight$/.test(name);
    for (let i = 0; i < data.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      data[i] = isNormWeight ? 1 : ((state >>> 0) / 2 ** 32 - 0.5) * 0.08; // ~0.02 std, like BERT's init
    }
    writeSync(fd, new Uint8Array(data.buffer));
  }
  closeSync(fd);
  renameSync(tmp, join(dir, 'model.safetensors'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(BERT_BASE_CONFIG, null, 2));
  copyFileSync(VOCAB, join(dir, 'vocab.txt'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 512 }));
  return dir;
}
