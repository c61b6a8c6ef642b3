// Throughput and latency of the BERT-base-sized forward pass, fp32 and int8, on random weights built in
// memory (no checkpoint needed). Run: npx tsc -p . && node dist/bench/encode-bert-base.js [threads]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateDict, Tensor } from '../src/checkpoint/tensor.js';
import { expectedBodyShapes } from '../src/model/layout.js';
import { parseModelConfig } from '../src/model/config.js';
import { TransformerModel } from '../src/model/runtime.js';
import type { TokenBatch } from '../src/model/types.js';

const CONFIG = {
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

/** Deterministic xorshift so runs are comparable. */
function randomWeights(): StateDict {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  };
  const sd: StateDict = new Map();
  for (const [name, shape] of expectedBodyShapes(parseModelConfig(CONFIG, 'bench config'))) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNormWeight = /LayerNorm\.weight$/.test(name);
    for (let i = 0; i < data.length; i++) data[i] = isNormWeight ? 1 : next() * 0.08; // ~N(0, 0.02)-scale
    const t: Tensor = { dtype: 'F32', shape, float32: () => data };
    sd.set(name, t);
  }
  return sd;
}

function randomBatch(batchSize: number, seqLen: number): TokenBatch {
  const inputIds = new Int32Array(batchSize * seqLen);
  for (let i = 0; i < inputIds.length; i++) inputIds[i] = 1000 + ((i * 7919) % 29000);
  return { batchSize, seqLen, inputIds, attentionMask: new Int32Array(batchSize * seqLen).fill(1), tokenTypeIds: new Int32Array(batchSize * seqLen) };
}

async function time(model: TransformerModel, batch: TokenBatch, runs: number): Promise<number[]> {
  await model.forward(batch); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await model.forward(batch);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

const threads = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'densekit-bench-'));
writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
const weights = randomWeights();
for (const quantize of ['none', 'int8'] as const) {
  const t0 = performance.now();
  const model = await TransformerModel.load(dir, { weights, threads, quantize });
  const loadMs = performance.now() - t0;
  const big = await time(model, randomBatch(32, 128), 3);
  const small = await time(model, randomBatch(1, 16), 20);
  const median = (a: number[]) => a[Math.floor(a.length / 2)]!;
  console.log(
    `${quantize === 'none' ? 'fp32' : 'int8'} threads=${threads}: build+load ${loadMs.toFixed(0)} ms; ` +
      `32x128: ${((32 * 1000) / median(big)).toFixed(2)} seq/s (median of ${big.length}, best ${((32 * 1000) / big[0]!).toFixed(2)}); ` +
      `1x16 latency: median ${median(small).toFixed(1)} ms, best ${small[0]!.toFixed(1)} ms`,
  );
  await model.dispose();
}
