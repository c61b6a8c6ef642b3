// Throughput and latency of the BERT-base-sized forward pass, fp32 and int8, on the deterministic random
// BERT-base folder of bench/random-bert.ts, next to PyTorch on the same shapes. Run: npx tsc -p . && node dist/bench/encode-bert-base.js [threads]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { TransformerModel } from '../src/model/runtime.js';
import type { TokenBatch } from '../src/model/types.js';
import { randomBertBaseDir } from './random-bert.js';

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
const dir = randomBertBaseDir();
const median = (a: number[]) => a[Math.floor(a.length / 2)]!;
const rows: string[] = [];
for (const quantize of ['none', 'int8'] as const) {
  const t0 = performance.now();
  const model = await TransformerModel.load(dir, { threads, quantize });
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
