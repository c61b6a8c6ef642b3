// Throughput and latency of the BERT-base-sized forward pass, fp32 and int8, on random weights built in
// memory (no checkpoint needed). Run: npx tsc -p . && node dist/bench/encode-bert-base.js [threads]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
const median = (a: number[]) => a[Math.floor(a.length / 2)]!;
const rows: string[] = [];
for (const quantize of ['none', 'int8'] as const) {
  const t0 = performance.now();
  const model = await TransformerModel.load(dir, { weights, threads, quantize });
  const loadMs = performance.now() - t0;
  const big = await time(model, randomBatch(32, 128), 5);
  const small = await time(model, randomBatch(1, 16), 50);
  const p99 = small[Math.min(small.length - 1, Math.floor(0.99 * small.length))]!;
  rows.push(
    `| densekit ${quantize === 'none' ? 'fp32' : 'int8'} | ${((32 * 1000) / median(big)).toFixed(2)} | ${median(small).toFixed(1)} | ${p99.toFixed(1)} | ${loadMs.toFixed(0)} |`,
  );
  await model.dispose();
}

// The PyTorch peer runs in the same command on the same shapes and thread count.
const python = process.env.PYTHON ?? '/tmp/stvenv/bin/python';
const peer = spawnSync(python, ['bench/python/torch_bert_base.py', String(threads)], { encoding: 'utf8' });
if (peer.status === 0) {
  const r = JSON.parse(peer.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
  rows.push(`| ${r.engine} | ${(r.seq_per_s_32x128 as number).toFixed(2)} | ${(r.p50_ms_1x16 as number).toFixed(1)} | ${(r.p99_ms_1x16 as number).toFixed(1)} | |`);
} else {
  rows.push(`| PyTorch (not run: ${python} failed: ${(peer.stderr || String(peer.error)).trim().split('\n').pop()}) | | | | |`);
}
console.log(`BERT-base-sized random model, ${threads} threads, ${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(2)}\n`);
console.log('| engine | 32×128 seq/s | 1×16 p50 ms | 1×16 p99 ms | build+load ms |\n|---|---|---|---|---|');
for (const r of rows) console.log(r);
